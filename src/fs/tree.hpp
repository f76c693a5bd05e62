#pragma once
/// The merged filesystem of an image, built layer by layer with the OCI changeset rules
/// (image-spec layer.md): whiteouts hide lower paths only, an opaque whiteout hides every
/// lower child of its directory, a non-directory landing on a directory deletes its
/// subtree, the last of duplicate entries in one layer wins. Each layer's application
/// yields its changes (added, changed, deleted), the same way `docker diff` names them.
///
/// Memory: the tree keeps the layer indexes it applied and points into them; a path of the
/// tree costs one 48-byte set node (from a pool) on top of its index entry. Entries that the tree had to
/// rewrite (landed through a symlink, hardlinks given their target's content) are copies in
/// the tree's own store.

#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "archive/layer_index.hpp"
#include "fs/node_pool.hpp"

namespace tarsier::fs {

/// A path in the merged tree and the layer that last set it.
struct Node {
    const archive::IndexEntry* entry = nullptr;  ///< in an applied index or the tree's store
    std::uint32_t layer = 0;
    std::uint32_t change = kNoChange;  ///< apply()'s bookkeeping: this layer's change of the path

    static constexpr std::uint32_t kNoChange = std::numeric_limits<std::uint32_t>::max();

    [[nodiscard]] std::string_view path() const { return entry->path(); }
};

/// Orders nodes by path; looks them up by path.
struct NodeOrder {
    using is_transparent = void;
    bool operator()(const Node& a, const Node& b) const { return a.path() < b.path(); }
    bool operator()(const Node& a, std::string_view b) const { return a.path() < b; }
    bool operator()(std::string_view a, const Node& b) const { return a < b.path(); }
};

using NodeSet = std::set<Node, NodeOrder, PoolAllocator<Node>>;

enum class ChangeKind : std::uint8_t { added, changed, deleted };

/// "A", "C" or "D".
char change_letter(ChangeKind k);

/// One change a layer made (32 bytes: a layer of 200,000 files has as many). The entries
/// point into the tree that made it and into its layer indexes: the tree must outlive the
/// change.
class Change {
public:
    ChangeKind kind = ChangeKind::added;

private:
    bool m_implied = false;  // beside `kind`, so that a change is 32 bytes

public:
    /// changed: how many entries of a lower directory's subtree this non-directory replaced.
    std::uint32_t removed_entries = 0;
    const archive::IndexEntry* after = nullptr;  ///< added, changed

    /// changed, deleted: what was there; null for a deleted directory that no entry made
    /// (only implied by the paths below it).
    [[nodiscard]] const archive::IndexEntry* before() const { return m_implied ? nullptr : m_before; }
    void set_before(const archive::IndexEntry* e) {
        m_before = e;
        m_implied = false;
    }
    /// A deletion of a directory that no entry made: `placeholder` carries only its path.
    void set_implied(const archive::IndexEntry* placeholder) {
        m_before = placeholder;
        m_implied = true;
    }
    [[nodiscard]] std::string_view path() const { return after ? after->path() : m_before ? m_before->path() : std::string_view(); }
    /// added/changed: the new content size; deleted: the size removed (whole subtree).
    [[nodiscard]] std::uint64_t bytes() const { return kind == ChangeKind::deleted ? m_bytes : after ? after->size : 0; }
    /// changed: the bytes of the replaced subtree (removed_entries); 0 otherwise.
    [[nodiscard]] std::uint64_t removed_bytes() const { return kind == ChangeKind::deleted ? 0 : m_bytes; }
    /// Sets bytes() of a deletion, or removed_bytes() of anything else.
    void set_bytes(std::uint64_t n) { m_bytes = n; }

private:
    const archive::IndexEntry* m_before = nullptr;
    std::uint64_t m_bytes = 0;
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
    MergedTree() = default;
    MergedTree(MergedTree&&) noexcept = default;
    MergedTree& operator=(MergedTree&&) noexcept = default;
    MergedTree(const MergedTree&) = delete;
    MergedTree& operator=(const MergedTree&) = delete;

    /// Applies a layer on top of what the tree holds and returns what it changed. With
    /// `record` false only the notes are returned (for callers that want the tree alone).
    /// The tree keeps `index` alive. Each call needs its own layer number.
    LayerChanges apply(std::shared_ptr<const archive::LayerIndex> index, std::size_t layer, bool record = true);
    /// Every path, sorted.
    [[nodiscard]] const NodeSet& nodes() const { return m_nodes; }
    /// The node at `path`, or null.
    [[nodiscard]] const Node* find(std::string_view path) const;
    /// Whether anything lies below `path` (not counting `path` itself).
    [[nodiscard]] bool has_children(std::string_view path) const;

    /// Where a node's entry came from: the layer index entry it was made from (itself when
    /// the tree did not rewrite it) and, for a hardlink, the entry its target held when the
    /// link was applied (null when there was none). `export` and `extract` read content by it.
    struct Origin {
        const archive::IndexEntry* entry = nullptr;
        const archive::IndexEntry* link_target = nullptr;
    };
    [[nodiscard]] Origin origin(const archive::IndexEntry* e) const;
    /// `path` with every parent directory resolved through the tree's symlinks, as an
    /// extractor that writes through them (umoci, moby) would land it; symlinks never
    /// climb above the root. nullopt on a loop (more than 255 links).
    std::optional<std::string> resolve_parents(std::string_view path) const;

private:
    /// What remove_subtree took away.
    struct Removed {
        std::uint64_t entries = 0;
        std::uint64_t bytes = 0;
    };
    struct Applying;
    /// Removes `path` and everything below it.
    Removed remove_subtree(std::string_view path, bool include_self, Applying* applying);
    /// A copy of `e` with other strings, kept in the tree's store.
    const archive::IndexEntry* rewrite(const archive::IndexEntry& e, std::string_view path, std::string_view link,
                                       std::string_view content);
    std::string_view keep(std::string_view s);

    /// A path with its FNV-1a hash, which resolve_parents computes as it extends a path.
    struct HashedPath {
        std::string_view path;
        std::uint64_t hash = 0;
        bool operator==(const HashedPath& o) const { return hash == o.hash && path == o.path; }
    };
    struct HashOf {
        std::size_t operator()(const HashedPath& p) const noexcept { return static_cast<std::size_t>(p.hash); }
    };
    static constexpr std::uint64_t kHashBasis = 14695981039346656037ULL;  ///< FNV-1a's, the hash of ""
    static std::uint64_t hash_of(std::string_view s, std::uint64_t h = kHashBasis);
    /// Keeps m_links in step with a node about to be dropped or just set.
    void unlink(const Node& n);
    void link(const Node& n);

    NodeSet m_nodes;
    /// The tree's symlinks by path: resolving a parent looks up each prefix by a hash
    /// extended one byte at a time, so a path of thousands of components costs its length.
    std::unordered_map<HashedPath, const archive::IndexEntry*, HashOf> m_links;
    std::vector<std::shared_ptr<const archive::LayerIndex>> m_indexes;
    std::deque<archive::IndexEntry> m_own;
    std::unordered_map<const archive::IndexEntry*, Origin> m_origins;  ///< of the rewritten entries that are nodes
    archive::StringArena m_strings;
};

/// What the upper layers added so far hide of the layers below them, told without those
/// lower layers (MergedTree::apply's rules: an entry replaces its own path, a non-directory
/// and a whiteout all below them, an opaque marker its directory's lower children). For a
/// layer whose paths are judged before the layers under it are read (`export`). It does not
/// follow symlinks in parents (which needs the lower layers): a caller checks its answers
/// against a MergedTree of every layer.
class UpperCover {
public:
    /// Adds a layer above every layer added before (the first added is the top).
    void add(const archive::LayerIndex& index);
    /// Whether an entry of a lower layer at `path` (normalised) becomes no path of the
    /// tree: the layers added hide it, or it is a whiteout or AUFS metadata itself.
    [[nodiscard]] bool hides(std::string_view path) const;

private:
    std::unordered_set<std::string> m_exact;  ///< paths replaced
    std::unordered_set<std::string> m_below;  ///< paths all below which is hidden
};

}  // namespace tarsier::fs
