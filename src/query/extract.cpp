#include "query/extract.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "io/root_dir.hpp"
#include "query/merged.hpp"
#include "util/strings.hpp"

namespace tarsier::query {

using util::ErrorKind;
using util::fail;

namespace {

class DirExtract final : public MergedWriter {
public:
    DirExtract(io::RootDir& root, const ExtractOptions& options, ExtractReport& report)
        : m_root(root), m_options(options), m_report(report) {}

    util::Result<void> write(const MergedEntry& e, io::Reader* data) override {
        const auto& h = e.header;
        io::FileMeta meta;
        meta.mode = h.mode & 07777;
        if (h.type != '5' && !m_options.preserve_setuid && (meta.mode & (S_ISUID | S_ISGID))) {
            meta.mode &= ~static_cast<std::uint32_t>(S_ISUID | S_ISGID);
            ++m_setuid_dropped;
        }
        if (m_options.same_owner) {
            meta.uid = h.uid;
            meta.gid = h.gid;
            meta.xattrs = e.xattrs;
        }
        meta.mtime = h.mtime;
        util::Result<void> done;
        switch (h.type) {
            case '5':
                done = m_root.make_dirs(h.path);
                if (done) m_dirs.emplace_back(h.path, std::move(meta));
                break;
            case '0': done = write_file(h, meta, data); break;
            case '1': done = m_root.make_hardlink(h.path, h.link); break;
            case '2': done = m_root.make_symlink(h.path, h.link, meta); break;
            case '3':
            case '4':
                if (!m_options.devices) {
                    ++m_devices_skipped;
                    return {};
                }
                done = m_root.make_node(h.path, h.type, h.dev_major, h.dev_minor, meta);
                break;
            case '6': done = m_root.make_node(h.path, h.type, 0, 0, meta); break;
            default: done = fail(ErrorKind::malformed, h.path, fmt::format("unknown entry type '{}'", h.type));
        }
        if (done) {
            ++m_report.written;
            return {};
        }
        // Refused or failed: say which path and why, and go on with the others.
        note(done.error());
        return {};
    }

    /// Gives the directories their modes and times, deepest first (after their contents:
    /// writing into a directory changes its mtime, and a read-only one takes no files).
    void finish() {
        std::sort(m_dirs.begin(), m_dirs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (const auto& [path, meta] : m_dirs)
            if (auto r = m_root.set_dir_meta(path, meta); !r) note(r.error());
        if (m_devices_skipped)
            m_report.findings.push_back({"info", "devices-skipped", m_options.to,
                                         fmt::format("{} device node{} not created (--devices, as root, creates them)",
                                                     m_devices_skipped, m_devices_skipped == 1 ? "" : "s")});
        if (m_setuid_dropped)
            m_report.findings.push_back({"info", "setuid-dropped", m_options.to,
                                         fmt::format("setuid or setgid bits dropped from {} file{} (--preserve-setuid keeps them)",
                                                     m_setuid_dropped, m_setuid_dropped == 1 ? "" : "s")});
    }

private:
    void note(const util::Error& err) {
        ++m_report.refused;
        m_report.findings.push_back({"warning", "not-written", "/" + util::escape_for_display(err.where),
                                     util::escape_for_display(err.what)});
    }

    util::Result<void> write_file(const archive::TarHeader& h, const io::FileMeta& meta, io::Reader* data) {
        auto file = m_root.create_file(h.path);
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

    io::RootDir& m_root;
    const ExtractOptions& m_options;
    ExtractReport& m_report;
    std::vector<std::pair<std::string, io::FileMeta>> m_dirs;
    std::uint64_t m_devices_skipped = 0, m_setuid_dropped = 0;
    std::array<std::uint8_t, 1 << 16> m_buf{};
};

}  // namespace

util::Result<ExtractReport> extract(const image::Archive& ar, const image::Image& img, const ExtractOptions& options) {
    if ((options.same_owner || options.devices) && ::geteuid() != 0)
        return fail(ErrorKind::usage, options.same_owner ? "--same-owner" : "--devices", "needs root");
    auto plan = plan_merged(ar, img, MergedOptions{options.layer, options.patterns, options.read});
    if (!plan) return plan.failure();
    auto root = io::RootDir::open(options.to, !options.force);
    if (!root) return root.failure();
    ExtractReport rep;
    // Names that leave the root and hardlinks to nothing were not written either.
    for (const auto& f : plan->findings)
        if (f.code == "escaping-name" || f.code == "hardlink-target-missing") ++rep.refused;
    rep.findings = std::move(plan->findings);
    rep.unmatched = std::move(plan->unmatched);
    DirExtract out(**root, options, rep);
    if (auto w = write_merged(ar, img, *plan, out); !w) return w.failure();
    out.finish();
    return rep;
}

}  // namespace tarsier::query
