#include "query/extract.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <memory>

#include <fmt/format.h>

#include "io/root_dir.hpp"
#include "query/merged.hpp"
#include "query/staging.hpp"
#include "util/strings.hpp"

namespace tarsier::query {

using util::ErrorKind;
using util::fail;

namespace {

/// The finding of a path that was refused or could not be written.
image::Finding not_written(const util::Error& err) {
    return {"warning", "not-written", fmt::format("/{}", util::escape_for_display(err.where)), util::escape_for_display(err.what)};
}

/// What one layer's writer did, merged in layer order into the report.
struct LayerOutcome {
    std::uint64_t written = 0, refused = 0, devices_skipped = 0, setuid_dropped = 0, staged = 0;
    std::vector<image::Finding> findings;                    ///< paths not written, in tar order
    std::vector<std::pair<std::string, io::FileMeta>> dirs;  ///< their metadata, set at the end
};

/// The metadata `h` gives what extract writes of it: setuid and setgid bits dropped from
/// all but directories unless --preserve-setuid, owners and extended attributes only with
/// --same-owner.
io::FileMeta meta_of(const archive::TarHeader& h, const Xattrs& xattrs, const ExtractOptions& options) {
    io::FileMeta meta;
    meta.mode = h.mode & 07777;
    if (h.type != '5' && !options.preserve_setuid) meta.mode &= ~static_cast<std::uint32_t>(S_ISUID | S_ISGID);
    if (options.same_owner) {
        meta.uid = h.uid;
        meta.gid = h.gid;
        meta.xattrs = xattrs;
    }
    meta.mtime = h.mtime;
    return meta;
}

/// Writes the paths of one layer, on a RootDir of its own (its cached parent is its own).
class DirExtract final : public MergedWriter {
public:
    DirExtract(std::unique_ptr<io::RootDir> root, const ExtractOptions& options, const Staging* staging)
        : m_root(std::move(root)), m_options(options), m_staging(staging) {}

    util::Result<void> write(const MergedEntry& e, io::Reader* data) override {
        const auto& h = e.header;
        io::FileMeta meta = meta_of(h, e.xattrs, m_options);
        count_setuid(h);
        util::Result<void> done;
        switch (h.type) {
            case '5':
                done = m_root->make_dirs(h.path);
                if (done) m_out.dirs.emplace_back(h.path, std::move(meta));
                break;
            case '0': done = write_file(h, meta, data); break;
            case '1': done = m_root->make_hardlink(h.path, h.link); break;
            case '2': done = m_root->make_symlink(h.path, h.link, meta); break;
            case '3':
            case '4':
                if (!m_options.devices) {
                    ++m_out.devices_skipped;
                    return {};
                }
                done = m_root->make_node(h.path, h.type, h.dev_major, h.dev_minor, meta);
                break;
            case '6': done = m_root->make_node(h.path, h.type, 0, 0, meta); break;
            default: done = fail(ErrorKind::malformed, h.path, fmt::format("unknown entry type '{}'", h.type));
        }
        return record(done);
    }

    /// A regular file that staging kept, with its metadata already: moved into place.
    util::Result<void> write_staged(const MergedEntry& e, const std::string& blob, std::uint32_t ordinal) override {
        count_setuid(e.header);
        auto done = m_staging->move(*m_root, blob, ordinal, e.header.path);
        if (done) ++m_out.staged;
        return record(done);
    }

    [[nodiscard]] LayerOutcome& outcome() { return m_out; }

private:
    void count_setuid(const archive::TarHeader& h) {
        if (h.type != '5' && !m_options.preserve_setuid && (h.mode & (S_ISUID | S_ISGID))) ++m_out.setuid_dropped;
    }

    /// Counts what was done; a path refused or failed is a finding, and the others go on.
    util::Result<void> record(const util::Result<void>& done) {
        if (done) {
            ++m_out.written;
            return {};
        }
        ++m_out.refused;
        m_out.findings.push_back(not_written(done.error()));
        return {};
    }

    util::Result<void> write_file(const archive::TarHeader& h, const io::FileMeta& meta, io::Reader* data) {
        auto file = m_root->create_file(h.path);
        if (!file) return file.failure();
        std::uint64_t offset = 0;
        while (data && offset < h.size) {
            auto n = data->read(std::span(m_buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(m_buf.size(), h.size - offset))));
            if (!n) return n.failure();
            if (*n == 0) return fail(ErrorKind::truncated, h.path, "the layer ends inside this file's data");
            if (auto w = io::RootDir::write_sparse(*file, std::span<const std::uint8_t>(m_buf.data(), *n), offset); !w)
                return fail(util::make_error(w.error().kind, h.path, w.error().what));
        }
        return io::RootDir::finish_file(*file, h.size, meta, h.path);
    }

    std::unique_ptr<io::RootDir> m_root;
    const ExtractOptions& m_options;
    const Staging* m_staging;
    LayerOutcome m_out;
    std::array<std::uint8_t, 1 << 16> m_buf{};
};

/// Merges the layers' outcomes in layer order (the order one pass would have found them
/// in), then gives the directories their modes and times, deepest first (after their
/// contents: writing into a directory changes its mtime, and a read-only one takes no
/// files).
void finish(io::RootDir& root, std::vector<std::unique_ptr<DirExtract>>& layers, ExtractReport& rep, const ExtractOptions& options) {
    std::uint64_t devices_skipped = 0, setuid_dropped = 0;
    std::vector<std::pair<std::string, io::FileMeta>> dirs;
    for (auto& layer : layers) {
        if (!layer) continue;
        auto& o = layer->outcome();
        rep.written += o.written;
        rep.refused += o.refused;
        rep.staged += o.staged;
        devices_skipped += o.devices_skipped;
        setuid_dropped += o.setuid_dropped;
        std::move(o.findings.begin(), o.findings.end(), std::back_inserter(rep.findings));
        std::move(o.dirs.begin(), o.dirs.end(), std::back_inserter(dirs));
    }
    std::stable_sort(dirs.begin(), dirs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [path, meta] : dirs)
        if (auto r = root.set_dir_meta(path, meta); !r) {
            ++rep.refused;
            rep.findings.push_back(not_written(r.error()));
        }
    if (devices_skipped)
        rep.findings.push_back({"info", "devices-skipped", options.to,
                                fmt::format("{} device node{} not created (--devices, as root, creates them)", devices_skipped,
                                            devices_skipped == 1 ? "" : "s")});
    if (setuid_dropped)
        rep.findings.push_back({"info", "setuid-dropped", options.to,
                                fmt::format("setuid or setgid bits dropped from {} file{} (--preserve-setuid keeps them)",
                                            setuid_dropped, setuid_dropped == 1 ? "" : "s")});
}

}  // namespace

util::Result<ExtractReport> extract(const image::Archive& ar, const image::Image& img, const ExtractOptions& options) {
    if ((options.same_owner || options.devices) && ::geteuid() != 0)
        return fail(ErrorKind::usage, options.same_owner ? "--same-owner" : "--devices", "needs root");
    // A compressed layer is decoded once: its files are kept as the index is made, and
    // moved into place after (all of the tree only; named paths are read from the layers).
    Staging staging(options.to, !options.force,
                    [&options](const archive::TarHeader& h, const Xattrs& x) { return meta_of(h, x, options); });
    MergedOptions merged{options.layer, options.patterns, options.read};
    if (options.patterns.empty())
        if (auto only = staged_blobs(ar, img, options.layer)) merged.read.stager = staging.stager_for(std::move(*only));
    auto plan = plan_merged(ar, img, merged);
    if (!plan) return plan.failure();
    if (staging.stopped()) staging.discard();
    if (staging.active())
        for (const auto& node : plan->tree.nodes())
            if (node.path().starts_with(Staging::kPrefix)) {
                staging.discard();  // the image has a name like it at its root
                break;
            }
    auto root = staging.active() ? staging.root()->another() : io::RootDir::open(options.to, !options.force);
    if (!root) return root.failure();
    staging.keep_target();
    for (const auto& path : options.keep) (*root)->keep(path);
    ExtractReport rep;
    // Names that leave the root and hardlinks to nothing were not written either.
    for (const auto& f : plan->findings)
        if (f.code == "escaping-name" || f.code == "hardlink-target-missing") ++rep.refused;
    rep.findings = std::move(plan->findings);
    rep.unmatched = std::move(plan->unmatched);
    // Two layers are read at once (a compressed layer that staging did not keep is decoded
    // a second time here, and decoding is the longest part): every path comes from one
    // layer, so the files of different layers never meet, and create_file makes the
    // parents any layer needs.
    std::vector<std::unique_ptr<DirExtract>> layers(plan->feeds.size());
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (plan->feeds[i].empty()) continue;
        auto own = (*root)->another();
        if (!own) return own.failure();
        layers[i] = std::make_unique<DirExtract>(std::move(*own), options, &staging);
    }
    auto writer_for = [&](std::size_t layer) -> MergedWriter& { return *layers[layer]; };
    const StagedFiles* staged = staging.active() ? &staging : nullptr;
    if (auto w = write_merged_layers(ar, img, *plan, writer_for, job_count(options.read), staged); !w) return w.failure();
    staging.discard();  // what later layers deleted or replaced, before the directories' times
    finish(**root, layers, rep, options);
    return rep;
}

}  // namespace tarsier::query
