#pragma once
/// Sequential byte streams: the one interface through which every reader, decoder and
/// scanner in tarsier consumes bytes, so tests and fuzzers can feed memory.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace tarsier::io {

/// Where bytes lie, as they are, in an open file: `length` bytes from `offset` of `fd`.
struct FileSpan {
    int fd = -1;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

/// A sequential stream of bytes.
class Reader {
public:
    virtual ~Reader() = default;
    /// Reads up to `buf.size()` bytes into `buf`; returns how many, 0 only at end of stream.
    /// Errors carry the kind `unreadable`, `truncated` or `malformed` (bad compressed data).
    virtual util::Result<std::size_t> read(std::span<std::uint8_t> buf) = 0;
    /// Where the bytes still to be read lie as they are in a file, for a writer that can
    /// copy them file to file in the kernel (reading them through read() is the same);
    /// nullopt when they do not (memory, decoded, pipes).
    [[nodiscard]] virtual std::optional<FileSpan> file_span() const { return std::nullopt; }
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
