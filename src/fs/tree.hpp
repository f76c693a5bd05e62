#pragma once
/// The merged filesystem of an image, built layer by layer with the OCI changeset rules
/// (image-spec layer.md): whiteouts hide lower paths only, an opaque whiteout hides every
/// lower child of its directory, a non-directory landing on a directory deletes its
/// subtree, the last of duplicate entries in one layer wins. Each layer's application
/// yields its changes (added, changed, deleted), the same way `docker diff` names them.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archive/layer_index.hpp"

namespace tarsier::fs {

/// A path in the merged tree and the layer that last set it.
struct Node {
    archive::IndexEntry entry;
    std::size_t layer = 0;
};

enum class ChangeKind { added, changed, deleted };

/// "A", "C" or "D".
char change_letter(ChangeKind k);

/// One change a layer made.
struct Change {
    ChangeKind kind = ChangeKind::added;
    std::string path;
    std::optional<archive::IndexEntry> before;  ///< changed, deleted
    std::optional<archive::IndexEntry> after;   ///< added, changed
    std::uint64_t bytes = 0;  ///< added/changed: the new content size; deleted: the size removed (whole subtree)
    /// changed: a lower directory's subtree that this non-directory replaced (entries, bytes).
    std::size_t removed_entries = 0;
    std::uint64_t removed_bytes = 0;
};

/// What applying a layer noticed that does not stop the work.
struct LayerNote {
    /// "duplicate-entry", "whiteout-without-name", "escaping-name", "overlay-whiteout",
    /// "symlink-loop" (a parent path that does not resolve: the entry is kept where its name says)
    std::string code;
    std::string path;
};

/// The result of applying one layer.
struct LayerChanges {
    std::deque<Change> changes;  ///< sorted by path (a deque: no doubling copy while a huge layer is read)
    std::vector<LayerNote> notes;
};

class MergedTree {
public:
    /// Applies a layer on top of what the tree holds and returns what it changed. With
    /// `record` false only the notes are returned (for callers that want the tree alone).
    LayerChanges apply(const archive::LayerIndex& index, std::size_t layer, bool record = true);
    /// Every path, sorted.
    [[nodiscard]] const std::map<std::string, Node>& nodes() const { return m_nodes; }

private:
    /// What remove_subtree took away.
    struct Removed {
        std::size_t entries = 0;
        std::uint64_t bytes = 0;
    };
    /// Removes `path` and everything below it.
    Removed remove_subtree(const std::string& path, bool include_self);
    /// `path` with every parent directory resolved through the tree's symlinks, as an
    /// extractor that writes through them (umoci, moby) would land it; symlinks never
    /// climb above the root. nullopt on a loop (more than 255 links).
    std::optional<std::string> resolve_parents(const std::string& path) const;
    std::map<std::string, Node> m_nodes;
};

/// Whether a base name is a whiteout (".wh.x"), an opaque marker or AUFS metadata.
bool is_whiteout_name(std::string_view base);

}  // namespace tarsier::fs
