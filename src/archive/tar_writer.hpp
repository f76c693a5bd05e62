#pragma once
/// Writing a tar stream (POSIX pax: long names, large sizes and xattrs as pax records),
/// optionally gzip or zstd compressed, to a file descriptor. libarchive's writer stays
/// inside this module.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "archive/tar_reader.hpp"
#include "io/reader.hpp"
#include "util/result.hpp"

namespace tarsier::archive {

/// Compression of a written stream.
enum class WriteCompression { none, gzip, zstd };

/// Parses "gzip", "zstd" or "none"; fails (usage) on anything else.
util::Result<WriteCompression> parse_write_compression(std::string_view name);

class TarWriter {
public:
    /// A tar writer on `fd` (not closed by the writer). With `raw`, the stream holds the
    /// bytes of one entry and no tar framing (a layer's own tar, compressed or not).
    static util::Result<std::unique_ptr<TarWriter>> open(int fd, WriteCompression compression, bool raw = false);
    /// A plain tar writer that writes `fd` at `offset` on (pwrite(2), copy_file_range(2)
    /// with an output offset), leaving the descriptor's own offset alone, so that several
    /// can write their parts of one file at once. With `trailer` false, finish() ends the
    /// last entry (its padding) and writes no end of archive: a part of a tar, which the
    /// part after it continues. With `fd` -1, nothing is written: a writer that measures
    /// how many bytes its entries take (written()). The stream begins at `stream_start` of
    /// the file (its whole records count from there).
    static util::Result<std::unique_ptr<TarWriter>> open_at(int fd, std::uint64_t offset, bool trailer,
                                                           std::uint64_t stream_start = 0);
    ~TarWriter();
    TarWriter(const TarWriter&) = delete;
    TarWriter& operator=(const TarWriter&) = delete;

    /// Writes an entry's header: `h.path`, type, mode, owner, mtime, size (regular files),
    /// link target (hardlinks and symlinks), device numbers, and `xattrs` (name, value).
    util::Result<void> header(const TarHeader& h, const std::vector<std::pair<std::string, std::string>>& xattrs);
    /// Writes the current entry's data (exactly its size in total).
    util::Result<void> data(std::span<const std::uint8_t> bytes);
    /// Writes the current entry's data from where it lies in a file (all of it, or the
    /// rest after data()): copied file to file in the kernel when the stream is a plain
    /// tar, read and written otherwise. Fails (truncated) when the file ends early.
    util::Result<void> data_from(const io::FileSpan& span);
    /// Counts `n` bytes of the current entry's data without writing them: for a writer
    /// that measures (open_at with fd -1).
    util::Result<void> measure_data(std::uint64_t n);
    /// Ends the stream (the tar trailer, the compressor's end).
    util::Result<void> finish();
    /// The bytes written (or measured) so far.
    [[nodiscard]] std::uint64_t written() const;

    struct Impl;

private:
    explicit TarWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace tarsier::archive
