#pragma once
/// The layers of one image as every query names and reads them: one identity per layer
/// (position, blob digest, diff_id, CREATED BY), one way to choose a layer, and the facts
/// of its blob (sizes, file index) with unreadable layers reported as findings.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/layer_index.hpp"
#include "image/facts.hpp"
#include "image/model.hpp"
#include "image/layer_id.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// The layers of an image with the facts a query asked for.
struct ImageLayers {
    std::vector<image::LayerId> ids;
    std::vector<image::LayerFacts> facts;   ///< same order; empty when not read
    std::vector<image::Finding> findings;   ///< layers that are absent or could not be read
};

/// Reads every layer blob of `img` for `needs` (in parallel, in a deterministic order);
/// with Needs::digests, every present layer gets its blob digest: a descriptor's, else the
/// diff_id of a blob stored as a plain tar (unless Needs::hash_plain), else the blob is
/// hashed. Layers that are absent or unreadable become findings.
ImageLayers read_layers(const image::Archive& ar, const image::Image& img, const ReadOptions& options, Needs needs);

/// The scan read_layers asks of the blob of each layer of `img` (by position): a caller
/// that reads a blob itself first (export) asks the same, and read_layers then finds it
/// done.
std::vector<archive::ScanOptions> layer_scans(const image::Archive& ar, const image::Image& img, const ReadOptions& options,
                                              Needs needs);

/// The file index of every layer, base first; fails on the first layer that is absent or
/// cannot be read, naming it. Needs `read_layers` with Needs::files.
util::Result<std::vector<std::shared_ptr<const archive::LayerIndex>>> layer_indexes(const image::Archive& ar,
                                                                                    const image::Image& img,
                                                                                    const ImageLayers& layers);

/// The file index of layer `i` of `img` from a scan that another thread does (verify's,
/// for a VerifyOptions::alongside hook), waiting for it (Container::await_stats); null
/// when the layer is absent, or its scan failed or holds no index satisfying `want`.
std::shared_ptr<const archive::LayerIndex> await_layer_index(const image::Archive& ar, const image::Image& img,
                                                             std::size_t i, const archive::ScanOptions& want);

/// Docker's layer size of each layer (nullopt when absent or unreadable).
std::vector<std::optional<std::uint64_t>> layer_sizes(const ImageLayers& layers);
/// The image size: the sum of its layer sizes (absent layers count 0).
std::uint64_t image_size(const std::vector<std::optional<std::uint64_t>>& sizes);

}  // namespace tarsier::query
