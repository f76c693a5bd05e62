#pragma once
/// The per-layer file index, built while the blob scanner walks a layer's tar: every entry
/// with its metadata and a digest of its content, so that changes are found by content,
/// not by size. Whiteouts are kept as the entries they are; src/fs applies them.
///
/// An index holds hundreds of thousands of entries, so an entry is small (64 bytes): its
/// strings (path, link target, content digest, xattr names) lie back to back in the
/// index's string arena, and the entry keeps one pointer and their lengths.

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "archive/tar_reader.hpp"
#include "io/reader.hpp"
#include "util/result.hpp"

namespace tarsier::archive {

/// How file contents are fingerprinted. `none`: not at all, an index of metadata alone
/// (every content() empty), for the commands that read the bytes they need in a pass of
/// their own (export, extract, cat); a walk for it need not read file data.
enum class ContentDigest { xxh128, sha256, none };

/// Append-only storage for strings that never move: views into it stay valid for the
/// arena's lifetime (moving the arena keeps them valid too).
class StringArena {
public:
    StringArena() = default;
    StringArena(StringArena&&) noexcept = default;
    StringArena& operator=(StringArena&&) noexcept = default;
    StringArena(const StringArena&) = delete;
    StringArena& operator=(const StringArena&) = delete;

    /// Copies the parts back to back and returns where the first byte landed.
    const char* keep(std::span<const std::string_view> parts);
    /// Bytes allocated.
    [[nodiscard]] std::size_t capacity() const { return m_allocated; }

private:
    std::vector<std::unique_ptr<char[]>> m_blocks;
    char* m_free = nullptr;
    std::size_t m_left = 0;
    std::size_t m_allocated = 0;
};

/// One entry of a layer (64 bytes). Its strings live in the arena of the index (or tree)
/// that made it, and their lengths are bounded: paths and links by kMaxNameLength (64 KiB)
/// long before the 1 MiB that fits here, xattr names together by 16 MiB (cut beyond).
class IndexEntry {
public:
    char type = '0';  ///< tar type: '0' file, '1' hardlink, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo
private:
    std::uint8_t m_content_len = 0;
public:
    std::uint32_t mode = 0;
    std::uint32_t dev_major = 0, dev_minor = 0;
    std::int64_t uid = 0, gid = 0;
    std::int64_t mtime = 0;
    std::uint64_t size = 0;

    /// Normalised (no "./", no leading "/").
    [[nodiscard]] std::string_view path() const { return {m_text, m_path_len}; }
    /// Symlink target as stored; hardlink target normalised.
    [[nodiscard]] std::string_view link() const { return {m_text + m_path_len, m_link_len}; }
    /// The content digest's bytes (16 for xxh128, 32 for sha256) of a regular file; empty
    /// otherwise. content_text() spells it.
    [[nodiscard]] std::string_view content() const { return {m_text + m_path_len + m_link_len, m_content_len}; }
    /// Extended attribute names, sorted, each followed by '\0' (values are not kept).
    [[nodiscard]] std::string_view xattrs() const {
        return {m_text + m_path_len + m_link_len + m_content_len, m_xattrs_len};
    }

    /// Stores the strings in `arena` and points the entry at them.
    void set_strings(StringArena& arena, std::string_view path, std::string_view link, std::string_view content,
                     std::string_view xattrs);

    static constexpr std::size_t kMaxPath = (1U << 20) - 1;    ///< longest path or link kept
    static constexpr std::size_t kMaxXattrs = (1U << 24) - 1;  ///< most xattr name bytes kept

private:
    const char* m_text = "";
    std::uint64_t m_path_len : 20 = 0;
    std::uint64_t m_link_len : 20 = 0;
    std::uint64_t m_xattrs_len : 24 = 0;
};

/// "xxh128:<hex>" (16 bytes) or "sha256:<hex>" (32 bytes) of an entry's content digest; ""
/// when there is none.
std::string content_text(std::string_view content);
/// The content digest of `kind` of what `src` gives to its end, as IndexEntry::content()
/// holds it ("" for none).
util::Result<std::string> content_digest(ContentDigest kind, io::Reader& src);
/// The names of IndexEntry::xattrs(), in order.
std::vector<std::string_view> xattr_names(std::string_view xattrs);
/// Joins sorted names into the form IndexEntry::xattrs() has.
std::string join_xattr_names(const std::vector<std::string>& names);

/// An entry with its own strings: what tests and tools write by hand before adding it to
/// an index.
struct EntryData {
    std::string path;
    char type = '0';
    std::uint32_t mode = 0;
    std::int64_t uid = 0, gid = 0;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
    std::string link;
    std::uint32_t dev_major = 0, dev_minor = 0;
    std::string content;              ///< digest bytes (any bytes compare the same way)
    std::vector<std::string> xattrs;  ///< sorted
};

/// A regular file's bytes kept while the layer streamed (ScanOptions::capture): the
/// package databases, so that they are read without a second pass over the layer.
struct CapturedFile {
    std::string path;        ///< normalised, as the entry's
    std::string bytes;       ///< the whole content; empty when too_large
    std::uint64_t size = 0;  ///< the entry's size
    bool too_large = false;  ///< over the capture limit: no bytes kept
};

/// The digests package databases record, of one regular file's content (raw bytes:
/// 16, 20 and 32).
struct FileDigests {
    std::string md5, sha1, sha256;
};

/// A layer's entries in tar order, and what was odd about them. Entries never move once
/// added (a deque), so trees and change lists may point at them while the index lives.
struct LayerIndex {
    std::deque<IndexEntry> entries;
    std::vector<std::string> escaping_names;  ///< names that leave the root (ignored)
    StringArena strings;
    /// The files ScanOptions::capture selected, in tar order (a later duplicate follows
    /// the earlier one; the last wins, as for entries).
    std::vector<CapturedFile> captured;
    /// With ScanOptions::file_digests: each regular file's digests by path (the last of
    /// duplicates).
    std::unordered_map<std::string, FileDigests> file_digests;
    /// With LayerIndexBuilder::record_data_offsets (an index of an uncompressed layer made
    /// from its headers): where each entry's data starts in the layer tar, one per entry,
    /// kNoDataOffset for a regular file whose bytes are not stored in a row (sparse).
    /// Empty otherwise.
    std::vector<std::uint64_t> data_offsets;
    static constexpr std::uint64_t kNoDataOffset = ~std::uint64_t{0};

    /// Appends an entry, copying its strings into the arena.
    const IndexEntry& add(const EntryData& e);
};

/// Receives a layer's entries and their data while the scanner walks the tar.
class LayerIndexBuilder {
public:
    explicit LayerIndexBuilder(ContentDigest digest = ContentDigest::xxh128);
    ~LayerIndexBuilder();
    LayerIndexBuilder(const LayerIndexBuilder&) = delete;
    LayerIndexBuilder& operator=(const LayerIndexBuilder&) = delete;

    /// Keeps the bytes of the regular files `wanted` selects, up to `max_bytes` each.
    void capture(bool (*wanted)(std::string_view path), std::uint64_t max_bytes);
    /// Computes FileDigests of every regular file.
    void compute_file_digests();
    /// Records where each entry's data starts (LayerIndex::data_offsets), as begin() gives it.
    void record_data_offsets();
    /// Starts an entry.
    void begin(const TarHeader& header);
    /// Starts an entry whose data starts at `data_offset` of the layer tar.
    void begin(const TarHeader& header, std::uint64_t data_offset);
    /// The place among the index's entries of the entry begun last; nullopt when begin()
    /// made none of it (the root itself, a name that leaves the root).
    [[nodiscard]] std::optional<std::uint32_t> current_ordinal() const;
    /// The entry ended last (only after an end() that kept one).
    [[nodiscard]] const IndexEntry& last_entry() const;
    /// Feeds the current entry's data.
    void data(std::span<const std::uint8_t> bytes);
    /// Ends the current entry.
    void end();
    /// The finished index.
    std::shared_ptr<const LayerIndex> finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace tarsier::archive
