#include "query/export_stream.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "archive/blob_scan.hpp"
#include "archive/tar_writer.hpp"
#include "fs/tree.hpp"
#include "query/changes.hpp"
#include "query/image_layers.hpp"
#include "util/path.hpp"

namespace tarsier::query {

namespace {

using Xattrs = std::vector<std::pair<std::string, std::string>>;

/// When a layer's part may be written, and where: once the layers above it are written
/// and in the cover. Its decoding may start before (export_stream.hpp).
class Gate {
public:
    /// Lets the part be written at `offset` (nullopt: it is not to be written).
    void open(std::optional<std::uint64_t> offset) {
        {
            std::lock_guard lock(m_mutex);
            m_offset = offset;
            m_open = true;
        }
        m_cv.notify_all();
    }
    /// Waits for open().
    std::optional<std::uint64_t> wait() {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [this] { return m_open; });
        return m_offset;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_open = false;
    std::optional<std::uint64_t> m_offset;
};

/// What the stager of one layer wrote, kept by the thread that reads the layer (the
/// stager itself ends with the scan).
struct PartState {
    int fd = -1;
    std::uint64_t start = 0;  ///< where the stream begins (TarWriter::open_at)
    Gate gate;
    bool waited = false;      ///< the gate was passed (or the part given up)
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
        if (!ready()) return false;
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
        if (!ready() || e.type == '0' || m_cover.hides(e.path())) return;
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
    /// Whether the part is being written: at the first entry, waits for the gate and opens
    /// the part where it says.
    bool ready() {
        if (!m_s.waited) {
            m_s.waited = true;
            auto offset = m_s.gate.wait();
            if (!offset) return stop();
            auto tar = archive::TarWriter::open_at(m_s.fd, *offset, false, m_s.start);
            if (!tar) return stop();
            m_s.tar = std::move(*tar);
        }
        return !m_s.failed;
    }

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
    // From the top down, one layer after another, while each layer is written whole. With
    // more than one job a layer is decoded on a thread of its own beside its walk, and the
    // next layer's decoding starts at once, up to kDecodeAhead MiB, its walk waiting at its
    // gate until the layer above is in the cover. The layers below the first one that is not
    // written whole are left to the plan, which reads them `jobs` at once.
    constexpr std::size_t kDecodeAhead = 32;
    struct Job {
        PartState state;
        std::optional<util::Result<archive::BlobStats>> stats;
        std::thread thread;
    };
    fs::UpperCover cover;  // of the layers written; read by a stager only past its gate
    auto run = [&](Job& job, std::size_t k) {
        archive::ScanOptions scan = scans[k];
        scan.pipeline = jobs > 1;
        scan.decode_ahead = kDecodeAhead;
        scan.stager = [&](const std::string&) -> std::unique_ptr<archive::FileStager> {
            return std::make_unique<PartStager>(cover, job.state);
        };
        ar.container->expect_scans({blobs[k]});
        job.stats = ar.container->blob_stats(*blobs[k], scan);
    };
    auto launch = [&](std::size_t k) {
        auto job = std::make_unique<Job>();
        job->state.fd = fd;
        job->state.start = start;
        if (jobs > 1) job->thread = std::thread([&run, j = job.get(), k] { run(*j, k); });
        return job;
    };
    std::uint64_t at = start;
    auto job = launch(n - 1);
    job->state.gate.open(at);
    for (std::size_t k = n; k-- > 0;) {
        std::unique_ptr<Job> next = k > 0 && jobs > 1 ? launch(k - 1) : nullptr;
        if (job->thread.joinable()) job->thread.join();
        else run(*job, k);
        auto& st = job->state;
        const archive::LayerIndex* index = *job->stats && (**job->stats).index ? (**job->stats).index.get() : nullptr;
        // Written whole only when the stager saw every entry of the index (not a blob
        // indexed before, nor an uncompressed one, which is not staged).
        const bool whole = index && !st.failed && st.seen == index->entries.size() && (!st.tar || st.tar->finish());
        if (!whole) {
            if (next) {
                next->state.gate.open(std::nullopt);
                next->thread.join();
            }
            break;
        }
        parts[k] = StreamedPart{true, at, st.tar ? st.tar->written() : 0, std::move(st.ordinals)};
        at += parts[k].size;
        cover.add(*index);
        if (k == 0) break;
        if (!next) next = launch(k - 1);
        next->state.gate.open(at);
        job = std::move(next);
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
