#pragma once
/// Fixed-width integers read from untrusted bytes, for the rpm header and database readers
/// (private to src/pkg). Callers check the bounds first; these only assemble bytes.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tarsier::pkg::rpm_bytes {

/// The unsigned integer of `n` bytes at `at`, most significant byte first.
inline std::uint64_t big(std::string_view b, std::size_t at, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
}

/// The unsigned integer of `n` bytes at `at`, least significant byte first.
inline std::uint64_t little(std::string_view b, std::size_t at, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = n; i > 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i - 1]);
    return v;
}

/// 32- and 16-bit reads in a byte order chosen at run time (Berkeley DB files are written
/// in the writer's native order).
struct Reader {
    std::string_view bytes;
    bool big_endian = false;
    [[nodiscard]] std::uint32_t u32(std::size_t at) const {
        return static_cast<std::uint32_t>(big_endian ? big(bytes, at, 4) : little(bytes, at, 4));
    }
    [[nodiscard]] std::uint16_t u16(std::size_t at) const {
        return static_cast<std::uint16_t>(big_endian ? big(bytes, at, 2) : little(bytes, at, 2));
    }
};

}  // namespace tarsier::pkg::rpm_bytes
