#pragma once
/// Docker's layer size, computed from a layer's tar headers: the sum of the sizes of the
/// non-directory entries the layer writes, as Docker's classic image store measures the
/// unpacked layer directory. Regular files count their size, hardlinked content counts
/// once per inode, symlinks count the length of their target, and directories, whiteouts,
/// devices and FIFOs count 0. A path written twice counts its last version.

#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "archive/layer_index.hpp"
#include "archive/tar_reader.hpp"

namespace tarsier::archive {

/// Accumulates the layer size over the headers of one layer.
class LayerSizer {
public:
    /// Records one header of the layer.
    void add(const TarHeader& header);
    /// The layer size of everything recorded so far.
    [[nodiscard]] std::uint64_t total() const;

private:
    struct Node {
        std::uint64_t inode;
        std::uint64_t size;
    };
    /// A path by its 128-bit XXH3 hash: a layer of a million entries keeps 16 bytes a
    /// path instead of the path (a collision needs about 2^64 paths).
    struct Key {
        std::uint64_t low, high;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept { return static_cast<std::size_t>(k.low); }
    };
    static Key key_of(std::string_view path);
    std::unordered_map<Key, Node, KeyHash> m_paths;
    std::uint64_t m_next_inode = 1;
};

/// The same size computed from a finished layer index (what LayerSizer would give for the
/// headers the index was built from), with about 10 bytes an entry of working memory
/// instead of a map of every path: the scanner uses it when it builds an index anyway.
std::uint64_t layer_size(const LayerIndex& index);

}  // namespace tarsier::archive
