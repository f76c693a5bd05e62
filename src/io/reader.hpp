#pragma once
/// Sequential byte streams: the one interface through which every reader, decoder and
/// scanner in tarsier consumes bytes, so tests and fuzzers can feed memory.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace tarsier::io {

/// A sequential stream of bytes.
class Reader {
public:
    virtual ~Reader() = default;
    /// Reads up to `buf.size()` bytes into `buf`; returns how many, 0 only at end of stream.
    /// Errors carry the kind `unreadable`, `truncated` or `malformed` (bad compressed data).
    virtual util::Result<std::size_t> read(std::span<std::uint8_t> buf) = 0;
};

/// Reads a view of memory; the memory must outlive the reader.
class MemoryReader final : public Reader {
public:
    explicit MemoryReader(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}
    explicit MemoryReader(std::string_view bytes)
        : m_bytes(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) {}
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override;

private:
    std::span<const std::uint8_t> m_bytes;
    std::size_t m_pos = 0;
};

/// Reads `r` to its end and returns everything, failing (limit) beyond `max_bytes`.
util::Result<std::string> read_all(Reader& r, std::uint64_t max_bytes);
/// Reads `r` to its end, discarding the bytes; returns how many there were.
util::Result<std::uint64_t> drain(Reader& r);

}  // namespace tarsier::io
