#pragma once
/// Read-only access to an input file: positioned reads for random access, and readers
/// over byte ranges. The file is opened O_RDONLY and never modified.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/reader.hpp"

namespace tarsier::io {

/// An open input file (or a pipe, when `seekable()` is false).
class FileSource {
public:
    /// Opens `path` for reading; "-" means standard input. Fails with not_found or unreadable.
    static util::Result<std::shared_ptr<FileSource>> open(const std::string& path);
    /// A seekable source over a copy of `bytes` in anonymous memory (memfd_create: nothing
    /// is written to any file system); `name` is what messages call it.
    static util::Result<std::shared_ptr<FileSource>> from_bytes(const std::string& name, std::string_view bytes);
    ~FileSource();
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    [[nodiscard]] const std::string& path() const { return m_path; }
    /// Whether positioned reads work (a regular file or block device).
    [[nodiscard]] bool seekable() const { return m_seekable; }
    /// The size in bytes (seekable files only).
    [[nodiscard]] std::uint64_t size() const { return m_size; }
    [[nodiscard]] int fd() const { return m_fd; }

    /// Reads up to `buf.size()` bytes at `offset`; fewer only at the end of the file.
    util::Result<std::size_t> pread(std::uint64_t offset, std::span<std::uint8_t> buf) const;
    /// A reader over [offset, offset + length); it fails with `truncated` if the file is shorter.
    [[nodiscard]] std::unique_ptr<Reader> range(std::uint64_t offset, std::uint64_t length) const;
    /// A reader over the stream from the current position (pipes: the whole input).
    [[nodiscard]] std::unique_ptr<Reader> stream() const;

private:
    FileSource(std::string path, int fd, bool owned, bool seekable, std::uint64_t size);
    std::string m_path;
    int m_fd;
    bool m_owned;
    bool m_seekable;
    std::uint64_t m_size;
};

}  // namespace tarsier::io
