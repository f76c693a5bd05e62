#pragma once
/// The rules about files that a later layer deleted (a whiteout, an opaque directory, a
/// non-directory over a directory) or replaced with other content, while the lower layer
/// that holds them is still in the image for anyone to extract.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.hpp"
#include "fs/tree.hpp"

namespace tarsier::audit {

/// Remembers which layer shipped each regular file of the merged tree, and with what
/// content, as the layers are applied one after the other.
class ShippedFiles {
public:
    /// `same_content`: how two files' bytes are compared (see SameContent).
    explicit ShippedFiles(SameContent same_content = {}) : m_same(std::move(same_content)) {}
    /// Call after `tree.apply(index, layer)` returned `changes`: appends a finding
    /// (deleted-secret-shipped for secret-looking names, deleted-file-shipped otherwise)
    /// for each file of a lower layer that this layer deleted or replaced with different
    /// content, and remembers the files this layer wrote. The finding names the lower
    /// layer, which ships the file.
    void update(const fs::MergedTree& tree, const fs::LayerChanges& changes, std::size_t layer, std::vector<Finding>& out);

private:
    struct Shipped {
        std::size_t layer = 0;
        const archive::IndexEntry* entry = nullptr;  ///< in that layer's index (the tree keeps it)
    };
    /// Whether the file shipped as `old` holds what `entry` of layer `layer` holds.
    bool same(const Shipped& old, std::size_t layer, const archive::IndexEntry& entry) const;
    /// Regular files by normalised path (views into the tree's indexes; nodes from a pool).
    using Files = std::map<std::string_view, Shipped, std::less<>,
                           fs::PoolAllocator<std::pair<const std::string_view, Shipped>>>;
    SameContent m_same;
    Files m_files;
    std::string m_prefix;  ///< update()'s "<path>/", kept to reuse its buffer
};

}  // namespace tarsier::audit
