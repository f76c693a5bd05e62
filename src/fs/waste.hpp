#pragma once
/// Wasted space: files written by more than one layer (rewritten, then deleted or
/// overwritten), in dive's terms. Two modes: dive-compatible reproduces dive's numbers
/// (its wasted bytes count every copy of a duplicated path, dive issue 684); the default
/// counts each duplicated path's copies except the one the final image shows.

#include <cstdint>
#include <memory>
#include <string>
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

/// Computes the waste of the layers, base first.
WasteReport compute_waste(const std::vector<std::shared_ptr<const archive::LayerIndex>>& layers, bool dive_compatible);

}  // namespace tarsier::fs
