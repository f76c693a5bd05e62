#pragma once
/// The blob scanner: one streaming pass over a blob's bytes that computes its digest and
/// size, detects its compression, decodes it, hashes the decoded stream (the diff_id) and
/// walks the layer tar inside. Memory stays bounded whatever the blob's size.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "digest/digest.hpp"
#include "io/decompress.hpp"
#include "io/file_source.hpp"
#include "io/reader.hpp"
#include "archive/layer_index.hpp"
#include "util/result.hpp"

namespace tarsier::archive {

/// The longest entry name or link target read from an archive or a layer: 64 KiB, room for
/// 5,000 nested directories of 12-byte names (Linux's PATH_MAX of 4096 bounds one system
/// call, not a path an extractor reaches with openat). Tar extension headers allow 1 MiB,
/// and such names compress so well that keeping them would let a tiny archive take
/// gigabytes; a layer holding a longer one is refused with a `limit` error.
inline constexpr std::size_t kMaxNameLength = 64 * 1024;

/// The `limit` error for a header whose name or link target exceeds kMaxNameLength.
util::Error name_too_long(std::string_view name, std::size_t length);

/// Receives the bytes of a compressed layer's regular files while a scan decodes and walks
/// the layer (ScanOptions::stager), so that a caller that wants them (extract) need not
/// decode the layer again. It never changes what the scan computes: a stager that fails
/// only stops taking files.
class FileStager {
public:
    virtual ~FileStager() = default;
    /// A regular file of the layer begins: `ordinal` is its place among the index's
    /// entries, `xattrs` its extended attributes with their values. False: its bytes are
    /// not wanted.
    virtual bool begin(std::uint32_t ordinal, const TarHeader& header,
                       const std::vector<std::pair<std::string, std::string>>& xattrs) = 0;
    /// The next bytes of the file begun (a sparse file's holes as zeros).
    virtual void data(std::span<const std::uint8_t> bytes) = 0;
    /// The file begun has all its bytes.
    virtual void end() = 0;
    /// Any entry the index keeps, once the index holds it (`entry`), in the layer's order:
    /// a regular file after end(). `header` and `xattrs` are as the tar has them.
    virtual void entry(std::uint32_t ordinal, const IndexEntry& entry, const TarHeader& header,
                       const std::vector<std::pair<std::string, std::string>>& xattrs);
};

/// Makes the stager of one scan of the container entry named `blob` (nullptr: none).
using StagerFor = std::function<std::unique_ptr<FileStager>(const std::string& blob)>;

/// What a scan computes.
struct ScanOptions {
    /// Hash the raw blob bytes with this algorithm (nullopt: do not hash them).
    std::optional<digest::Algorithm> raw_digest;
    /// Hash the decoded stream (the diff_id, always SHA-256).
    bool diff_id = false;
    /// Walk the tar inside the decoded stream (content size, entry count).
    bool walk_tar = true;
    /// For an uncompressed blob, estimate the size `gzip -6` would give it.
    bool estimate_gzip = false;
    /// Read and hash the raw bytes on this thread while another thread decodes, hashes
    /// and walks them (for streams, where blobs cannot be scanned side by side).
    bool pipeline = false;
    /// With `pipeline`: how many MiB of a compressed blob are decoded ahead of the walk (a
    /// walk that waits, as export's next layer does, leaves the decoder this much to do).
    std::size_t decode_ahead = 8;
    /// Build the layer's file index (entries and content digests) in the same walk.
    std::optional<ContentDigest> index;
    /// With `index`: an uncompressed blob's index records where each file's bytes lie
    /// (LayerIndex::data_offsets) instead of their content digests (IndexEntry::content()
    /// stays empty), for a caller that compares few files and reads them again when it
    /// must (query::ContentOnDemand). Never for a stream, which cannot be read again.
    bool content_on_demand = false;
    /// Stop decoding beyond this many decoded bytes (a decompression bomb): `limit` error.
    std::uint64_t max_layer_size = std::uint64_t{1} << 40;
    /// Stop when decoded bytes exceed this multiple of the raw bytes read so far (after the
    /// first 64 MiB): `limit` error. 0 disables the check.
    std::uint64_t max_ratio = 0;
    /// With `index`: the most entries, and the most bytes of names and link targets, one
    /// layer's index may hold (each entry costs about 1 KB of memory in the file
    /// commands): `limit` error beyond. Defaults: 1,000,000 entries, 256 MiB.
    std::uint64_t max_index_entries = 1'000'000;
    std::uint64_t max_index_name_bytes = std::uint64_t{256} << 20;
    /// With `index`: keep the bytes of the regular files whose normalised path this
    /// selects (the package databases; query passes pkg::wanted, archive knows nothing of
    /// packages), at most `capture_max_bytes` each (a larger one is kept without bytes,
    /// marked too large). Only selected files are copied.
    bool (*capture)(std::string_view path) = nullptr;
    std::uint64_t capture_max_bytes = 0;
    /// With `index`: also compute the MD5, SHA-1 and SHA-256 of every regular file's
    /// content (what package databases record), kept in LayerIndex::file_digests. Costly:
    /// only for `packages --verify-files`.
    bool file_digests = false;
    /// With `index`: hands the bytes of a compressed layer's regular files to a stager as
    /// they are decoded (how, not what: satisfied_by ignores it, and a scan that another
    /// request already made stages nothing).
    StagerFor stager;

    /// Whether results computed with `have` answer a request for `this`.
    [[nodiscard]] bool satisfied_by(const ScanOptions& have) const;
};

/// Facts about one blob.
struct BlobStats {
    ScanOptions options;               ///< what was computed
    std::uint64_t size = 0;            ///< raw bytes read
    std::optional<std::string> digest; ///< "alg:hex" of the raw bytes, when requested
    io::Compression compression = io::Compression::none;
    std::optional<std::string> diff_id;      ///< sha256 of the decoded stream, when requested and decodable
    std::optional<std::uint64_t> uncompressed_size;  ///< decoded bytes, when decodable
    bool is_tar = false;                 ///< the decoded stream parsed as a tar
    bool tar_incomplete = false;         ///< the tar ended without end-of-archive blocks
    std::uint64_t content_size = 0;      ///< Docker's layer size (see layer_size.hpp)
    std::uint64_t entry_count = 0;       ///< tar entries, including directories
    std::optional<std::uint64_t> gzip_estimate;  ///< uncompressed blobs: estimated `gzip -6` size
    std::shared_ptr<const LayerIndex> index;     ///< when requested and the tar could be walked
    /// Why decoding or the tar walk failed (the raw digest and size stay valid).
    std::optional<util::Error> decode_error;
};

/// Scans `raw` to its end. Fails only when the raw bytes cannot be read; problems inside
/// the decoded stream are reported in `decode_error`.
util::Result<BlobStats> scan_blob(io::Reader& raw, const ScanOptions& options, FileStager* stager = nullptr);

/// Walks an uncompressed layer tar stored at [offset, offset + length) of `file` by its
/// headers only, seeking over file data; computes content size and entry count, nothing
/// that needs the bytes themselves.
util::Result<BlobStats> walk_tar_headers(const io::FileSource& file, std::uint64_t offset, std::uint64_t length,
                                         const ScanOptions& options);

/// The file index of an uncompressed layer tar at [offset, offset + length) of `file` from
/// its headers alone, seeking over file data: for an index that needs no bytes
/// (ContentDigest::none, nothing captured, no file digests; nullopt otherwise). Also
/// nullopt when the tar is damaged, cut or holds an over-long name: scanning its bytes
/// then gives the precise error, as for any other layer.
std::optional<util::Result<BlobStats>> index_tar_headers(const io::FileSource& file, std::uint64_t offset,
                                                         std::uint64_t length, const ScanOptions& options);

}  // namespace tarsier::archive
