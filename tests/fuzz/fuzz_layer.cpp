/// libFuzzer target: one layer blob. The input goes through the blob scanner (compression
/// sniffed, decoded, hashed, its tar walked into a file index), through the header-only
/// ustar walker when it is an uncompressed tar, and the index is applied twice to a merged
/// tree (so whiteouts meet a lower layer) and counted for waste.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "archive/blob_scan.hpp"
#include "archive/ustar_walk.hpp"
#include "fs/tree.hpp"
#include "fs/waste.hpp"
#include "io/file_source.hpp"
#include "io/reader.hpp"

using namespace tarsier;

namespace {

/// The ustar walker reads a seekable file. When it takes the layer on (it hands anything
/// unusual to libarchive) and both walks succeed, they must agree on Docker's layer size
/// and the entry count, as ustar_walk.hpp promises.
void walk_headers(const std::uint8_t* data, std::size_t size, const archive::BlobStats& scanned) {
    const int fd = ::memfd_create("fuzz-layer", MFD_CLOEXEC);
    if (fd < 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, data + done, size - done);
        if (n <= 0) std::abort();
        done += static_cast<std::size_t>(n);
    }
    auto file = io::FileSource::open("/proc/self/fd/" + std::to_string(fd));
    ::close(fd);
    if (!file) return;
    archive::ScanOptions options;
    options.walk_tar = true;
    auto lean = archive::walk_plain_ustar(**file, 0, size, options);
    if (lean && *lean && scanned.is_tar && !scanned.decode_error && !scanned.tar_incomplete) {
        const archive::BlobStats& walked = **lean;
        if (walked.content_size != scanned.content_size || walked.entry_count != scanned.entry_count) __builtin_trap();
    }
    (void)archive::walk_tar_headers(**file, 0, size, options);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    archive::ScanOptions options;
    options.walk_tar = true;
    options.diff_id = true;
    options.raw_digest = digest::Algorithm::sha256;
    options.index = archive::ContentDigest::xxh128;
    options.estimate_gzip = size < 4096;
    options.max_layer_size = 64 << 20;
    options.max_ratio = 1000;
    io::MemoryReader reader(std::span<const std::uint8_t>(data, size));
    auto stats = archive::scan_blob(reader, options);
    if (!stats) return 0;
    if (stats->compression == io::Compression::none) walk_headers(data, size, *stats);
    if (!stats->index) return 0;
    fs::MergedTree tree;
    std::size_t touched = 0;
    for (std::size_t layer = 0; layer < 2; ++layer) {
        // Every change points into the tree and its indexes: read what it points at.
        for (const auto& c : tree.apply(stats->index, layer).changes) {
            touched += c.path().size();
            for (const auto* e : {c.before(), c.after})
                if (e) touched += e->path().size() + e->link().size() + e->content().size() + e->xattrs().size();
        }
    }
    for (const auto& n : tree.nodes()) touched += n.path().size();
    if (touched == static_cast<std::size_t>(-1)) __builtin_trap();
    std::vector<std::shared_ptr<const archive::LayerIndex>> layers{stats->index, stats->index};
    (void)fs::compute_waste(layers, false);
    (void)fs::compute_waste(layers, true);
    return 0;
}
