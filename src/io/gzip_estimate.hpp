#pragma once
/// Estimating what `gzip -6` would make of a stream without compressing all of it: the
/// stream is cut into 256 KiB chunks; the first 8 MiB are deflated whole, after that every
/// fourth chunk, each at level 6 with the 32 KiB before it as its dictionary (so a sample
/// sees the window a continuous compressor would), and the samples are scaled to the rest
/// of the stream. Deterministic: which chunks are sampled depends only on positions.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace tarsier::io {

class GzipSizeEstimator {
public:
    GzipSizeEstimator();
    ~GzipSizeEstimator();
    GzipSizeEstimator(const GzipSizeEstimator&) = delete;
    GzipSizeEstimator& operator=(const GzipSizeEstimator&) = delete;

    /// Feeds the next bytes of the stream.
    void update(std::span<const std::uint8_t> bytes);
    /// The estimated size of `gzip -6 < stream` (header and trailer included).
    [[nodiscard]] std::uint64_t estimate();

    static constexpr std::size_t kChunk = 256 * 1024;
    static constexpr std::size_t kWindow = 32 * 1024;
    static constexpr std::uint64_t kWholeChunks = 32;  ///< the first 8 MiB
    static constexpr std::uint64_t kStride = 4;         ///< then one chunk in four

private:
    void flush_chunk();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace tarsier::io
