#pragma once
/// The per-layer file index, built while the blob scanner walks a layer's tar: every entry
/// with its metadata and a digest of its content, so that changes are found by content,
/// not by size. Whiteouts are kept as the entries they are; src/fs applies them.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/tar_reader.hpp"

namespace tarsier::archive {

/// How file contents are fingerprinted.
enum class ContentDigest { xxh128, sha256 };

/// One entry of a layer.
struct IndexEntry {
    std::string path;          ///< normalised (no "./", no leading "/")
    char type = '0';           ///< tar type: '0' file, '1' hardlink, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo
    std::uint32_t mode = 0;
    std::int64_t uid = 0, gid = 0;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
    std::string link;          ///< symlink target as stored; hardlink target normalised
    std::uint32_t dev_major = 0, dev_minor = 0;
    std::string content;       ///< hex digest of the content (regular files), "" otherwise
    std::vector<std::string> xattrs;  ///< extended attribute names, sorted (values are not kept)
};

/// A layer's entries in tar order, and what was odd about them.
struct LayerIndex {
    std::vector<IndexEntry> entries;
    std::vector<std::string> escaping_names;  ///< names that leave the root (ignored)
};

/// Receives a layer's entries and their data while the scanner walks the tar.
class LayerIndexBuilder {
public:
    explicit LayerIndexBuilder(ContentDigest digest = ContentDigest::xxh128);
    ~LayerIndexBuilder();
    LayerIndexBuilder(const LayerIndexBuilder&) = delete;
    LayerIndexBuilder& operator=(const LayerIndexBuilder&) = delete;

    /// Starts an entry.
    void begin(const TarHeader& header);
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
