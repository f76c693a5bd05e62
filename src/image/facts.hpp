#pragma once
/// Facts about layers that need their bytes (sizes, digests), computed on demand in
/// parallel and in a deterministic order.

#include <optional>
#include <vector>

#include "image/model.hpp"

namespace tarsier::image {

/// What is known about one layer blob.
struct LayerFacts {
    bool present = false;                      ///< the blob is in the archive
    std::optional<archive::BlobStats> stats;   ///< when present and readable
    std::optional<util::Error> error;          ///< why the blob could not be read
};

/// Computes facts for `layers` (indexes into archive.layers) with up to `jobs` threads.
/// The result is in the order of `layers` and does not depend on `jobs`.
std::vector<LayerFacts> layer_facts(const Archive& archive, const std::vector<std::size_t>& layers,
                                    const archive::ScanOptions& options, unsigned jobs);

/// The layer indexes of one image, in order.
std::vector<std::size_t> layers_of(const Image& image);

}  // namespace tarsier::image
