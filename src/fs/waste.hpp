#pragma once
/// Wasted space: files written by more than one layer (rewritten, then deleted or
/// overwritten), in dive's terms. Two modes: dive-compatible reproduces dive's numbers
/// (its wasted bytes count every copy of a duplicated path, dive issue 684); the default
/// counts each duplicated path's copies except the one the final image shows.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archive/layer_index.hpp"

namespace tarsier::fs {

/// One path written by several layers.
struct WastedPath {
    std::string path;
    std::size_t count = 0;          ///< how many layers wrote (or whited out) it
    std::uint64_t total_bytes = 0;  ///< every copy
    std::uint64_t wasted_bytes = 0; ///< what the chosen mode counts as waste
};

struct WasteReport {
    std::uint64_t total_size = 0;     ///< regular-file bytes over all layers (dive's sizeBytes)
    std::uint64_t user_size = 0;      ///< the same without the base layer
    std::uint64_t wasted_bytes = 0;
    double efficiency = 1.0;          ///< dive's score: minimum sizes / cumulative sizes
    double user_wasted_fraction = 0;  ///< wasted / user (0 when user is 0)
    std::vector<WastedPath> paths;    ///< sorted by wasted bytes, then path
};

class MergedTree;

/// The waste counted layer by layer, for a caller that walks the merged tree anyway
/// (tarsier check, with the audit): add each layer before it is applied to the tree,
/// then finish. compute_waste is this with a tree of its own.
class WasteCounter {
public:
    explicit WasteCounter(bool dive_compatible);
    ~WasteCounter();
    WasteCounter(const WasteCounter&) = delete;
    WasteCounter& operator=(const WasteCounter&) = delete;
    /// Adds layer `layer` (base first, each once, in order); `below` is the merged tree of
    /// the layers under it (whited-out directories weigh what they held there).
    void add_layer(const archive::LayerIndex& index, std::size_t layer, const MergedTree& below);
    /// The report of the layers added; the counter is spent.
    WasteReport finish();

    /// One leaf of one layer's tree: what dive's efficiency visitor sees (internal).
    struct Leaf {
        std::string_view path;  ///< in a layer index, or in the arena for whiteout targets
        std::uint64_t size = 0;
        std::uint32_t layer = 0;
        bool whiteout = false;
    };

private:
    bool m_dive;
    WasteReport m_rep;
    std::vector<Leaf> m_leaves;            ///< each layer's, sorted by path, one after the other
    std::vector<std::size_t> m_run_ends;  ///< where each layer's leaves end in m_leaves
    archive::StringArena m_arena;
};

/// Computes the waste of the layers, base first.
WasteReport compute_waste(const std::vector<std::shared_ptr<const archive::LayerIndex>>& layers, bool dive_compatible);

}  // namespace tarsier::fs
