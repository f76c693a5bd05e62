#include "query/export_stream.hpp"

#include <algorithm>
#include <array>
#include <memory>

#include "archive/blob_scan.hpp"
#include "archive/tar_writer.hpp"
#include "fs/tree.hpp"
#include "query/changes.hpp"
#include "query/image_layers.hpp"
#include "util/path.hpp"

namespace tarsier::query {

namespace {

using Xattrs = std::vector<std::pair<std::string, std::string>>;

/// What the stager of one layer wrote, kept by the thread that reads the layer (the
/// stager itself ends with the scan).
struct PartState {
    std::unique_ptr<archive::TarWriter> tar;
    std::vector<std::uint32_t> ordinals;
    std::uint32_t seen = 0;    ///< entries the index holds so far
    bool failed = false;       ///< a write failed, or the layer holds what cannot be told yet
    bool open = false;         ///< a regular file's bytes are being written
    std::uint64_t left = 0;    ///< of them
};

/// Writes the paths of one layer that the layers above it leave, as export writes them,
/// while the scan decodes the layer.
class PartStager final : public archive::FileStager {
public:
    PartStager(const fs::UpperCover& cover, PartState& state) : m_cover(cover), m_s(state) {}

    bool begin(std::uint32_t ordinal, const archive::TarHeader& h, const Xattrs& xattrs) override {
        if (m_s.failed) return false;
        auto path = util::clean_path_in_root(h.path);
        if (!path || m_cover.hides(*path)) return false;
        auto out = file_entry(h, xattrs, *path);
        if (!m_s.tar->header(out.header, out.xattrs)) return stop();
        m_s.ordinals.push_back(ordinal);
        m_s.open = true;
        m_s.left = h.size;
        return true;
    }

    void data(std::span<const std::uint8_t> bytes) override {
        if (!m_s.open || m_s.failed) return;
        if (bytes.size() > m_s.left || !m_s.tar->data(bytes)) {
            stop();
            return;
        }
        m_s.left -= bytes.size();
    }

    void end() override {
        if (!m_s.open) return;
        m_s.open = false;
        // A sparse file whose last part is a hole ends its data early: zeros (as write_merged).
        static const std::array<std::uint8_t, 64 * 1024> zeros{};
        while (m_s.left > 0 && !m_s.failed) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(zeros.size(), m_s.left));
            if (!m_s.tar->data(std::span(zeros.data(), n))) stop();
            m_s.left -= n;
        }
    }

    void entry(std::uint32_t ordinal, const archive::IndexEntry& e, const archive::TarHeader& h,
               const Xattrs& xattrs) override {
        if (ordinal != m_s.seen++) stop();
        if (m_s.failed || e.type == '0' || m_cover.hides(e.path())) return;
        // A hardlink's group is written at the entry with its bytes, whose names are not
        // all known yet.
        if (e.type == '1') {
            stop();
            return;
        }
        auto out = other_entry(h, xattrs, e, e.path());
        if (!m_s.tar->header(out.header, out.xattrs)) {
            stop();
            return;
        }
        m_s.ordinals.push_back(ordinal);
    }

private:
    bool stop() {
        m_s.failed = true;
        return false;
    }

    const fs::UpperCover& m_cover;
    PartState& m_s;
};

}  // namespace

std::vector<StreamedPart> stream_parts(const image::Archive& ar, const image::Image& img, std::size_t top,
                                       const ReadOptions& read, int fd, std::uint64_t start, unsigned jobs) {
    const std::size_t n = std::min(top + 1, img.layers.size());
    std::vector<StreamedPart> parts(n);
    if (ar.container->packaging() == archive::Packaging::tar_stream) return parts;
    std::vector<const archive::Entry*> blobs;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& layer = ar.layers[img.layers[i].layer];
        auto e = layer.entry.empty() ? util::Result<const archive::Entry*>(nullptr) : ar.container->find(layer.entry);
        if (!e || !*e || (*e)->stats) return parts;  // the plan reports it
        blobs.push_back(*e);
    }
    auto scans = layer_scans(ar, img, plan_read_options(read), kFilesNeeds);
    // From the top down, one layer at a time, while each layer is written whole: its own
    // decoding on a second thread (the walk and the writes are the other half of the work).
    // The layers below the first one that is not are left to the plan, which reads them
    // `jobs` at once.
    fs::UpperCover cover;  // of the layers written
    std::uint64_t at = start;
    for (std::size_t k = n; k-- > 0;) {
        PartState state;
        auto tar = archive::TarWriter::open_at(fd, at, false, start);
        if (!tar) break;
        state.tar = std::move(*tar);
        archive::ScanOptions scan = scans[k];
        scan.pipeline = jobs > 1;
        scan.stager = [&](const std::string&) -> std::unique_ptr<archive::FileStager> {
            return std::make_unique<PartStager>(cover, state);
        };
        ar.container->expect_scans({blobs[k]});
        auto stats = ar.container->blob_stats(*blobs[k], scan);
        // Written whole only when the stager saw every entry of the index (not a blob
        // indexed before, nor an uncompressed one, which is not staged).
        if (!stats || !stats->index || state.failed || state.seen != stats->index->entries.size() || !state.tar->finish())
            break;
        parts[k] = StreamedPart{true, at, state.tar->written(), std::move(state.ordinals)};
        at += parts[k].size;
        cover.add(*stats->index);
    }
    return parts;
}

bool part_agrees(const StreamedPart& part, const MergedPlan& plan, std::size_t layer, std::uint64_t offset,
                 std::uint64_t size) {
    if (!part.written || part.offset != offset || part.size != size) return false;
    const auto& feeds = plan.feeds[layer];
    if (feeds.size() != part.ordinals.size()) return false;
    const auto& entries = plan.read.read.indexes[layer]->entries;
    for (std::uint32_t o : part.ordinals) {
        auto it = feeds.find(o);
        if (it == feeds.end() || it->second.size() != 1) return false;
        const fs::Node* node = it->second.front();
        if (o >= entries.size() || node->entry != &entries[o] || node->path() != entries[o].path()) return false;
    }
    return true;
}

}  // namespace tarsier::query
