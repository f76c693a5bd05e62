#include "query/merged.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "archive/layer_tar.hpp"
#include "query/notes.hpp"
#include "util/schedule.hpp"
#include "util/strings.hpp"

namespace tarsier::query {

using util::ErrorKind;
using util::fail;

namespace {

/// The index entry whose metadata and bytes `node` has: itself (as read from its layer),
/// or for a hardlink the regular file its target held when the link was made, following
/// links of links. Null when the target was missing.
const archive::IndexEntry* content_entry(const fs::MergedTree& tree, const fs::Node& node) {
    auto o = tree.origin(node.entry);
    if (node.entry->type != '1') return o.entry;
    const archive::IndexEntry* at = o.link_target;
    for (int hops = 0; at && hops < 256; ++hops) {
        auto t = tree.origin(at);
        if (at->type != '1') return t.entry;
        at = t.link_target;
    }
    return nullptr;
}

image::Finding warning(std::string code, std::string where, std::string message) {
    return image::Finding{"warning", std::move(code), std::move(where), std::move(message)};
}

}  // namespace

ReadOptions plan_read_options(ReadOptions read) {
    // The files' bytes are read in write_merged's own pass: the index needs no content
    // digests, so an uncompressed layer is indexed by its headers alone.
    read.content_digest = archive::ContentDigest::none;
    return read;
}

util::Result<MergedPlan> plan_merged(const image::Archive& ar, const image::Image& img, const MergedOptions& options) {
    auto got = read_choosing(ar, img, options.layer, plan_read_options(options.read));
    if (!got) return got.failure();
    MergedPlan plan;
    plan.read = std::move(*got);
    const auto& indexes = plan.read.read.indexes;
    plan.findings = notes_of(ar, std::move(plan.read.read.layers.findings));
    if (indexes.empty()) return plan;
    plan.empty = false;
    plan.top = plan.read.layer.value_or(indexes.size() - 1);
    for (std::size_t i = 0; i <= plan.top; ++i) {
        auto applied = plan.tree.apply(indexes[i], i, false);
        std::string where = image::layer_label(plan.read.read.layers.ids[i]);
        for (const auto& n : applied.notes) {
            if (n.code == "escaping-name")
                plan.findings.push_back(warning(n.code, where,
                                                fmt::format("'{}' leaves the root; not written", util::escape_for_display(n.path))));
            else if (n.code == "symlink-loop")
                plan.findings.push_back(warning(n.code, where,
                                                fmt::format("'{}': its parent does not resolve (a symlink loop); written where its name says",
                                                            util::escape_for_display(n.path))));
        }
    }
    // Which node each index entry feeds, then each entry's position in its layer.
    std::unordered_map<const archive::IndexEntry*, std::vector<const fs::Node*>> wanted;
    std::vector<bool> used(options.patterns.size(), false);
    for (const auto& node : plan.tree.nodes()) {
        bool keep = options.patterns.empty();
        for (std::size_t k = 0; k < options.patterns.size(); ++k)
            if (path_matches(node.path(), options.patterns[k])) keep = used[k] = true;
        if (!keep) continue;
        const archive::IndexEntry* from = content_entry(plan.tree, node);
        if (!from) {
            plan.findings.push_back(warning("hardlink-target-missing", "/" + util::escape_for_display(node.path()),
                                            fmt::format("hardlink to '{}', which is not there; not written",
                                                        util::escape_for_display(node.entry->link()))));
            continue;
        }
        wanted[from].push_back(&node);
    }
    for (std::size_t k = 0; k < options.patterns.size(); ++k)
        if (!used[k]) plan.unmatched.push_back(options.patterns[k]);
    plan.feeds.resize(plan.top + 1);
    for (std::size_t i = 0; i <= plan.top && !wanted.empty(); ++i) {
        std::uint32_t ordinal = 0;
        for (const auto& e : indexes[i]->entries) {
            if (auto it = wanted.find(&e); it != wanted.end()) {
                plan.feeds[i][ordinal] = std::move(it->second);
                wanted.erase(it);
            }
            ++ordinal;
        }
    }
    return plan;
}

std::optional<MergedSource> source_of(const MergedPlan& plan, const fs::Node& node) {
    const archive::IndexEntry* from = content_entry(plan.tree, node);
    if (!from) return std::nullopt;
    const auto& indexes = plan.read.read.indexes;
    for (std::size_t i = 0; i <= plan.top && i < indexes.size(); ++i) {
        std::uint32_t ordinal = 0;
        for (const auto& e : indexes[i]->entries) {
            if (&e == from) return MergedSource{static_cast<std::uint32_t>(i), ordinal};
            ++ordinal;
        }
    }
    return std::nullopt;
}

namespace {

/// An entry's data, exactly its size: zeros after the data libarchive gives end early (a
/// sparse file whose last part is a hole ends its data blocks before its size).
class SizedData final : public io::Reader {
public:
    SizedData(archive::TarReader& tar, std::uint64_t size) : m_data(tar), m_left(size) {}
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), m_left));
        if (want == 0) return std::size_t{0};
        std::size_t n = 0;
        if (!m_hole) {
            auto got = m_data.read(buf.first(want));
            if (!got) return got.failure();
            n = *got;
            m_hole = n == 0;
        }
        if (m_hole) {
            std::memset(buf.data(), 0, want);
            n = want;
        }
        m_left -= n;
        return n;
    }

private:
    archive::TarEntryReader m_data;
    std::uint64_t m_left;
    bool m_hole = false;
};

using Xattrs = std::vector<std::pair<std::string, std::string>>;
using Feeds = std::unordered_map<std::uint32_t, std::vector<const fs::Node*>>;

/// The header an index entry was made from, as far as write_fed reads it (a hardlink's
/// target as normalised).
archive::TarHeader header_of(const archive::IndexEntry& e) {
    archive::TarHeader h;
    h.type = e.type;
    h.size = e.size;
    h.link = std::string(e.link());
    h.mode = e.mode;
    h.uid = e.uid;
    h.gid = e.gid;
    h.mtime = e.mtime;
    h.dev_major = e.dev_major;
    h.dev_minor = e.dev_minor;
    return h;
}

/// Where a staged regular file's bytes were kept (StagedFiles).
struct StagedAt {
    const std::string& blob;
    std::uint32_t ordinal;
};

/// Gives the paths fed by one entry of a layer to `writer`: `h` is its header, `xattrs`
/// its extended attributes with their values, `data` a regular file's bytes, or `staged`
/// where they were kept.
util::Result<void> write_fed(const archive::TarHeader& h, const Xattrs& xattrs, io::Reader& data,
                             const std::vector<const fs::Node*>& nodes, MergedWriter& writer,
                             const std::optional<StagedAt>& staged = std::nullopt) {
    std::string first;
    for (const fs::Node* node : nodes) {
        if (h.type == '0' && first.empty()) {
            MergedEntry out = file_entry(h, xattrs, node->path());
            first = out.header.path;
            auto w = staged ? writer.write_staged(out, staged->blob, staged->ordinal) : writer.write(out, &data);
            if (!w) return w;
            continue;
        }
        MergedEntry out;
        if (h.type == '0') {
            out = file_entry(h, xattrs, node->path());
            out.header.type = '1';
            out.header.size = 0;
            out.header.link = first;
        } else {
            out = other_entry(h, xattrs, *node->entry, node->path());
        }
        if (auto w = writer.write(out, nullptr); !w) return w;
    }
    return {};
}

/// Whether the index tells the header write_fed makes of `e` as the layer's tar has it:
/// not for extended attributes (their values are only in the tar) nor a hardlink (its
/// target as stored).
bool header_in_index(const archive::IndexEntry& e) { return e.xattrs().empty() && e.type != '1'; }

/// Whether the fed entries of a layer can be written from its index and their bytes read
/// where the index says they lie, with no second walk of its tar: an uncompressed layer
/// indexed by its headers (LayerIndex::data_offsets), none of whose fed entries needs its
/// tar header again (header_in_index, and a sparse file's map).
bool plain(const archive::LayerIndex& index, const Feeds& feeds) {
    if (index.data_offsets.size() != index.entries.size()) return false;
    for (const auto& [ordinal, nodes] : feeds) {
        const auto& e = index.entries[ordinal];
        if (!header_in_index(e)) return false;
        if (e.type == '0' && index.data_offsets[ordinal] == archive::LayerIndex::kNoDataOffset) return false;
    }
    return true;
}

/// The fed entries' ordinals, in tar order.
std::vector<std::uint32_t> ordinals(const Feeds& feeds) {
    std::vector<std::uint32_t> order;
    order.reserve(feeds.size());
    for (const auto& f : feeds) order.push_back(f.first);
    std::sort(order.begin(), order.end());
    return order;
}

/// Writes the fed entries of a plain() layer in tar order, each file's bytes read at its
/// place in `blob`.
util::Result<void> write_plain(const archive::Container& c, const archive::Entry& blob, const archive::LayerIndex& index,
                               const Feeds& feeds, MergedWriter& writer, const std::string& where) {
    const Xattrs none;
    io::MemoryReader no_data{std::string_view()};
    for (auto ordinal : ordinals(feeds)) {
        const auto& e = index.entries[ordinal];
        std::unique_ptr<io::Reader> file;  // a regular file's bytes, where they lie
        if (e.type == '0') {
            auto r = c.open(blob, index.data_offsets[ordinal], e.size);
            if (!r) return fail(r.error().at(where));
            file = std::move(*r);
        }
        if (auto w = write_fed(header_of(e), none, file ? *file : no_data, feeds.at(ordinal), writer); !w) return w;
    }
    return {};
}

/// Whether the fed entries of a layer can be written from its index and what `staged`
/// kept of the blob `blob`, with no second walk of its tar: every fed regular file was
/// kept, and no other fed entry needs its tar header again (header_in_index).
bool staged_layer(const archive::LayerIndex& index, const Feeds& feeds, const std::string& blob, const StagedFiles& staged) {
    for (const auto& [ordinal, nodes] : feeds) {
        const auto& e = index.entries[ordinal];
        if (e.type == '0' ? !staged.has(blob, ordinal) : !header_in_index(e)) return false;
    }
    return true;
}

/// Writes the fed entries of a staged_layer() in tar order, each regular file from where
/// it was kept.
util::Result<void> write_staged_layer(const archive::LayerIndex& index, const Feeds& feeds, const std::string& blob,
                                      MergedWriter& writer) {
    const Xattrs none;
    io::MemoryReader no_data{std::string_view()};
    for (auto ordinal : ordinals(feeds)) {
        const auto& e = index.entries[ordinal];
        std::optional<StagedAt> at;
        if (e.type == '0') at.emplace(StagedAt{blob, ordinal});
        if (auto w = write_fed(header_of(e), none, no_data, feeds.at(ordinal), writer, at); !w) return w;
    }
    return {};
}

/// Gives `writer` the paths that layer `i` of the plan feeds, in its tar order.
/// `staged`: where its regular files were kept, all of them (staged_layer).
util::Result<void> write_layer(const image::Archive& ar, const image::Image& img, const MergedPlan& plan, std::size_t i,
                               MergedWriter& writer, const StagedFiles* staged = nullptr) {
    const auto& indexes = plan.read.read.indexes;
    const auto& feeds = plan.feeds[i];
    const auto& layer = ar.layers[img.layers[i].layer];
    std::string where = image::layer_label(plan.read.read.layers.ids[i], layer.entry);
    auto blob = ar.container->find(layer.entry);
    if (!blob) return fail(blob.error().at(where));
    if (!*blob) return fail(ErrorKind::malformed, where, "the layer blob vanished");
    if (plain(*indexes[i], feeds)) return write_plain(*ar.container, **blob, *indexes[i], feeds, writer, where);
    if (staged) return write_staged_layer(*indexes[i], feeds, layer.entry, writer);
    auto tar = archive::LayerTar::open(*ar.container, **blob);
    if (!tar) return fail(tar.error().at(where));
    const auto& entries = indexes[i]->entries;
    std::size_t left = feeds.size();
    std::uint32_t ordinal = 0;
    archive::TarHeader h;
    std::string name;
    while (left > 0) {
        auto more = (*tar)->next_entry(h, name);
        if (!more) return fail(more.error().at(where));
        if (!*more) return fail(ErrorKind::malformed, where, "the layer ends before entries its index holds (read differently the second time)");
        if (ordinal >= entries.size() || entries[ordinal].path() != name)
            return fail(ErrorKind::malformed, where,
                        fmt::format("entry '{}' read differently the second time", util::escape_for_display(h.path)));
        auto it = feeds.find(ordinal++);
        if (it == feeds.end()) continue;
        --left;
        SizedData data((*tar)->tar(), h.size);
        if (auto w = write_fed(h, (*tar)->tar().xattr_values(), data, it->second, writer); !w) return w;
    }
    return {};
}

/// A writer that hands each path on until told to stop (another layer failed).
class Stoppable final : public MergedWriter {
public:
    Stoppable(MergedWriter& inner, const std::atomic<bool>& stop) : m_inner(inner), m_stop(stop) {}
    util::Result<void> write(const MergedEntry& entry, io::Reader* data) override {
        if (auto go = go_on(entry); !go) return go;
        return m_inner.write(entry, data);
    }
    util::Result<void> write_staged(const MergedEntry& entry, const std::string& blob, std::uint32_t ordinal) override {
        if (auto go = go_on(entry); !go) return go;
        return m_inner.write_staged(entry, blob, ordinal);
    }
    [[nodiscard]] bool stopped() const { return m_stopped; }

private:
    util::Result<void> go_on(const MergedEntry& entry) {
        if (!m_stop.load(std::memory_order_relaxed)) return {};
        m_stopped = true;
        return fail(ErrorKind::usage, entry.header.path, "not written: another layer failed");
    }

    MergedWriter& m_inner;
    const std::atomic<bool>& m_stop;
    bool m_stopped = false;
};

}  // namespace

MergedEntry file_entry(const archive::TarHeader& h, const std::vector<std::pair<std::string, std::string>>& xattrs,
                       std::string_view path) {
    // The inode's metadata is its regular entry's, whichever name carries it.
    MergedEntry out;
    auto& oh = out.header;
    oh.path = std::string(path);
    oh.type = '0';
    oh.size = h.size;
    oh.mode = h.mode;
    oh.uid = h.uid;
    oh.gid = h.gid;
    oh.mtime = h.mtime;
    out.xattrs = xattrs;
    return out;
}

MergedEntry other_entry(const archive::TarHeader& h, const std::vector<std::pair<std::string, std::string>>& xattrs,
                        const archive::IndexEntry& name, std::string_view path) {
    MergedEntry out;
    auto& oh = out.header;
    oh = header_of(name);  // the name's own metadata
    oh.path = std::string(path);
    oh.size = 0;
    oh.type = name.type == '1' ? h.type : name.type;
    oh.link = name.type == '2' ? std::string(name.link()) : h.link;
    out.xattrs = xattrs;
    return out;
}

util::Result<void> write_layer_headers(const MergedPlan& plan, std::size_t layer, MergedWriter& writer) {
    const auto& index = *plan.read.read.indexes[layer];
    const auto& feeds = plan.feeds[layer];
    const Xattrs none;
    io::MemoryReader no_data{std::string_view()};
    for (auto ordinal : ordinals(feeds)) {
        const auto& e = index.entries[ordinal];
        if (!header_in_index(e)) return fail(ErrorKind::usage, std::string(e.path()), "its header is only in the layer's tar");
        if (auto w = write_fed(header_of(e), none, no_data, feeds.at(ordinal), writer); !w) return w;
    }
    return {};
}

util::Result<void> write_merged(const image::Archive& ar, const image::Image& img, const MergedPlan& plan,
                                MergedWriter& writer, LayerOrder order) {
    const std::size_t n = plan.feeds.size();
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = order == LayerOrder::base_first ? k : n - 1 - k;
        if (plan.feeds[i].empty()) continue;  // nothing of this layer survives
        if (auto w = write_layer(ar, img, plan, i, writer); !w) return w;
    }
    return {};
}

util::Result<void> MergedWriter::write_staged(const MergedEntry& entry, const std::string&, std::uint32_t) {
    return fail(ErrorKind::usage, entry.header.path, "this writer takes no staged files");
}

util::Result<void> write_merged_layers(const image::Archive& ar, const image::Image& img, const MergedPlan& plan,
                                       const LayerWriterFor& writer_for, unsigned jobs, const StagedFiles* staged,
                                       const std::vector<bool>* skip) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < plan.feeds.size(); ++i)
        if (!plan.feeds[i].empty() && !(skip && i < skip->size() && (*skip)[i])) order.push_back(i);
    // The layers whose paths come from what `staged` kept. Not a blob at two places of the
    // image: a kept file is moved, so it can be given once.
    std::vector<const StagedFiles*> staged_at(plan.feeds.size(), nullptr);
    if (staged) {
        std::map<std::string_view, int> uses;
        for (std::size_t i = 0; i < plan.feeds.size(); ++i) ++uses[ar.layers[img.layers[i].layer].entry];
        for (std::size_t i : order) {
            const auto& blob = ar.layers[img.layers[i].layer].entry;
            if (uses[blob] == 1 && staged_layer(*plan.read.read.indexes[i], plan.feeds[i], blob, *staged))
                staged_at[i] = staged;
        }
    }
    // A layer costs the tar bytes up to its last entry still needed (what is decoded), not
    // its blob's size (a layer of small text files compresses 10x). The threads take the
    // layers in an order that has them end together. A staged layer is not read: its
    // cost is a header's worth per path moved into place.
    std::vector<std::uint64_t> costs;  // of order[k]
    for (std::size_t i : order) {
        if (staged_at[i]) {
            costs.push_back(512 * plan.feeds[i].size());
            continue;
        }
        std::uint32_t last = 0;
        for (const auto& f : plan.feeds[i]) last = std::max(last, f.first);
        const auto& entries = plan.read.read.indexes[i]->entries;
        std::uint64_t cost = 0;
        for (std::uint32_t k = 0; k <= last && k < entries.size(); ++k) cost += 512 + (entries[k].size + 511) / 512 * 512;
        costs.push_back(cost);
    }
    std::vector<std::size_t> scheduled;
    for (std::size_t k : util::schedule_order(costs, std::max(1u, jobs))) scheduled.push_back(order[k]);
    order = std::move(scheduled);
    // One slot per layer, each written by the one thread that reads the layer.
    struct Done {
        util::Result<void> result;
        bool stopped = false;  // its failure is only that another layer failed first
    };
    std::vector<Done> done(plan.feeds.size());
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    auto work = [&] {
        for (std::size_t k; !stop.load() && (k = next.fetch_add(1)) < order.size();) {
            const std::size_t i = order[k];
            Stoppable writer(writer_for(i), stop);
            done[i].result = write_layer(ar, img, plan, i, writer, staged_at[i]);
            done[i].stopped = writer.stopped();
            if (!done[i].result) stop = true;
        }
    };
    std::vector<std::thread> threads;
    const unsigned n = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(order.size())));
    for (unsigned t = 1; t < n; ++t) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    // The lowest layer's own failure, not one of the layers stopped because of it.
    for (const auto& d : done)
        if (!d.result && !d.stopped) return d.result;
    return {};
}

}  // namespace tarsier::query
