#include "io/reader.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace tarsier::io {

namespace {
constexpr std::size_t kFirstChunk = 64 * 1024;
constexpr std::size_t kDrainBuffer = 256 * 1024;
}  // namespace

util::Result<std::size_t> MemoryReader::read(std::span<std::uint8_t> buf) {
    std::size_t n = std::min(buf.size(), m_bytes.size() - m_pos);
    if (n != 0) std::memcpy(buf.data(), m_bytes.data() + m_pos, n);
    m_pos += n;
    return n;
}

util::Result<std::string> read_all(Reader& r, std::uint64_t max_bytes) {
    // Read up to one byte past the limit, so that a stream of exactly max_bytes passes and a
    // longer one is caught without reading the rest of it.
    const std::uint64_t cap64 =
        std::min<std::uint64_t>(max_bytes, std::numeric_limits<std::size_t>::max() - 1) + 1;
    const auto cap = static_cast<std::size_t>(cap64);
    std::string out;
    std::size_t len = 0;
    for (;;) {
        if (len == out.size()) {
            if (len >= cap) break;
            std::size_t grown = out.empty() ? kFirstChunk : out.size() * 2;
            if (grown < out.size()) grown = cap;  // overflow
            out.resize(std::min(grown, cap));
        }
        auto n = r.read(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(out.data()) + len,
                                                out.size() - len));
        if (!n) return n.failure();
        if (*n == 0) break;
        len += *n;
    }
    if (len > max_bytes) {
        return util::fail(util::ErrorKind::limit, "",
                          "stream is larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
    out.resize(len);
    return out;
}

util::Result<std::uint64_t> drain(Reader& r) {
    auto buf = std::make_unique_for_overwrite<std::uint8_t[]>(kDrainBuffer);
    std::uint64_t total = 0;
    for (;;) {
        auto n = r.read(std::span<std::uint8_t>(buf.get(), kDrainBuffer));
        if (!n) return n.failure();
        if (*n == 0) return total;
        total += *n;
    }
}

}  // namespace tarsier::io
