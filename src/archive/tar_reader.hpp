#pragma once
/// A tar reader over libarchive, fed from an io::Reader or a byte range of a seekable file.
/// The libarchive handle stays inside this module.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/file_source.hpp"
#include "io/reader.hpp"
#include "util/result.hpp"

namespace tarsier::archive {

/// A tar header as libarchive decoded it (PAX, GNU long names, base-256 fields applied).
struct TarHeader {
    std::string path;        ///< as stored (not normalised)
    char type = '0';         ///< '0' regular, '1' hardlink, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo
    std::uint64_t size = 0;  ///< data bytes (0 for links and directories)
    std::string link;        ///< hardlink or symlink target
    std::uint32_t mode = 0;
    std::int64_t uid = 0, gid = 0;
    std::int64_t mtime = 0;
    std::uint32_t dev_major = 0, dev_minor = 0;
    std::vector<std::string> xattrs;  ///< extended attribute names (PAX SCHILY.xattr.*, LIBARCHIVE.xattr.*), sorted
    bool sparse = false;  ///< stored as a sparse map: its data is not `size` bytes in a row (reading)
};

/// Reads the tar stream of one archive. Not copyable.
class TarReader {
public:
    /// Reads a tar from `source` (which must outlive the reader). With `decompress`, the
    /// stream may also be gzip, bzip2, xz or zstd compressed (used for the outer archive).
    static util::Result<std::unique_ptr<TarReader>> open(io::Reader& source, bool decompress);
    /// Reads a tar stored uncompressed at [offset, offset + length) of `file`, skipping
    /// file data by seeking instead of reading it.
    static util::Result<std::unique_ptr<TarReader>> open_range(const io::FileSource& file,
                                                              std::uint64_t offset, std::uint64_t length);
    ~TarReader();
    TarReader(const TarReader&) = delete;
    TarReader& operator=(const TarReader&) = delete;

    /// Advances to the next entry; false at the end of the archive.
    util::Result<bool> next(TarHeader& header);
    /// The current entry's extended attributes with their values, sorted by name.
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> xattr_values() const;
    /// Reads the current entry's data.
    util::Result<std::size_t> read_data(std::span<std::uint8_t> buf);
    /// The current entry's next bytes where libarchive holds them, with no copy: false at
    /// the end of its data. Valid until the next call. For an entry that is not sparse
    /// (TarHeader::sparse), the blocks follow each other with no gap.
    util::Result<bool> read_block(std::span<const std::uint8_t>& block);
    /// Where the current entry's data starts in the (decompressed) stream.
    [[nodiscard]] std::uint64_t data_offset() const;
    /// Bytes taken from the source so far (before any decompression).
    [[nodiscard]] std::uint64_t raw_bytes() const;
    /// Whether the outer stream was compressed (the name of the filter, or "" for none).
    [[nodiscard]] std::string compression() const;

    struct Impl;

private:
    explicit TarReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// A Reader over the data of the current entry of `tar`.
class TarEntryReader final : public io::Reader {
public:
    explicit TarEntryReader(TarReader& tar) : m_tar(tar) {}
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override { return m_tar.read_data(buf); }

private:
    TarReader& m_tar;
};

}  // namespace tarsier::archive
