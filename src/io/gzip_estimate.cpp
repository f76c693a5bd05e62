#include "io/gzip_estimate.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace tarsier::io {

struct GzipSizeEstimator::Impl {
    std::uint64_t chunk_index = 0;
    std::vector<std::uint8_t> window;    // the last kWindow bytes before the current chunk
    std::vector<std::uint8_t> chunk;     // the current chunk (only kept when sampled)
    std::size_t chunk_fill = 0;
    std::uint64_t whole_out = 0;                     // the first kWholeChunks, all compressed
    std::uint64_t rest_total = 0, sampled_in = 0, sampled_out = 0;  // after them
    std::vector<std::uint8_t> out;
    z_stream z{};
    bool z_ready = false;

    bool whole() const { return chunk_index < kWholeChunks; }
    bool sampled() const { return whole() || chunk_index % kStride == 0; }
};

GzipSizeEstimator::GzipSizeEstimator() : m_impl(std::make_unique<Impl>()) {
    m_impl->chunk.resize(kChunk);
    m_impl->out.resize(deflateBound(nullptr, kChunk) + 1024);
}

GzipSizeEstimator::~GzipSizeEstimator() {
    if (m_impl->z_ready) deflateEnd(&m_impl->z);
}

void GzipSizeEstimator::flush_chunk() {
    Impl& s = *m_impl;
    if (s.chunk_fill == 0) return;
    if (s.sampled()) {
        if (!s.z_ready) {
            deflateInit2(&s.z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
            s.z_ready = true;
        } else {
            deflateReset(&s.z);
        }
        if (!s.window.empty()) deflateSetDictionary(&s.z, s.window.data(), static_cast<uInt>(s.window.size()));
        s.z.next_in = s.chunk.data();
        s.z.avail_in = static_cast<uInt>(s.chunk_fill);
        s.z.next_out = s.out.data();
        s.z.avail_out = static_cast<uInt>(s.out.size());
        deflate(&s.z, Z_FINISH);
        std::uint64_t produced = s.out.size() - s.z.avail_out;
        if (s.whole()) {
            s.whole_out += produced;
        } else {
            s.sampled_out += produced;
            s.sampled_in += s.chunk_fill;
        }
    }
    if (!s.whole()) s.rest_total += s.chunk_fill;
    // Keep the tail as the next chunk's dictionary.
    std::size_t keep = std::min(kWindow, s.chunk_fill);
    s.window.assign(s.chunk.begin() + static_cast<std::ptrdiff_t>(s.chunk_fill - keep),
                    s.chunk.begin() + static_cast<std::ptrdiff_t>(s.chunk_fill));
    s.chunk_fill = 0;
    ++s.chunk_index;
}

void GzipSizeEstimator::update(std::span<const std::uint8_t> bytes) {
    Impl& s = *m_impl;
    while (!bytes.empty()) {
        std::size_t room = kChunk - s.chunk_fill;
        std::size_t n = std::min(room, bytes.size());
        // Unsampled chunks only need their last kWindow bytes, for the next sample.
        if (s.sampled() || s.chunk_fill + n > kChunk - kWindow) std::memcpy(s.chunk.data() + s.chunk_fill, bytes.data(), n);
        s.chunk_fill += n;
        bytes = bytes.subspan(n);
        if (s.chunk_fill == kChunk) flush_chunk();
    }
}

std::uint64_t GzipSizeEstimator::estimate() {
    flush_chunk();
    Impl& s = *m_impl;
    constexpr std::uint64_t kGzipFraming = 10 + 8;  // header without a name, CRC32 and size
    double rest = 0;
    if (s.sampled_in > 0)
        rest = static_cast<double>(s.sampled_out) * static_cast<double>(s.rest_total) / static_cast<double>(s.sampled_in);
    std::uint64_t body = s.whole_out + static_cast<std::uint64_t>(rest + 0.5);
    return kGzipFraming + std::max<std::uint64_t>(body, 2);  // an empty stream deflates to 2 bytes
}

}  // namespace tarsier::io
