#pragma once
/// A layer's one identity across every command, and choosing a layer by what the user typed.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "image/model.hpp"

namespace tarsier::image {

/// A layer's identity, the same in every command. `digest` is always the blob digest (what
/// a manifest names: compressed for gzip and zstd layers) and `diff_id` the digest of the
/// uncompressed tar (what the config names); they are equal for uncompressed layers.
struct LayerId {
    std::size_t position = 0;  ///< 0 = base
    std::string digest;        ///< "" when no descriptor names the blob and it was not hashed
    std::string diff_id;       ///< "" when the config lists fewer diff_ids than layers
    std::string created_by;    ///< of the history entry that made the layer ("" when none)
};

/// "layer 2 (sha256:abc…)": how messages name a layer (the blob digest, else the diff_id,
/// else the archive entry).
std::string layer_label(const LayerId& id, std::string_view entry = {});

/// The identities of `img`'s layers from the archive's descriptors and the config alone.
std::vector<LayerId> layer_ids(const Archive& ar, const Image& img);

/// Chooses a layer by what the user typed: a position ("0" = base), or a unique prefix of a
/// blob digest or diff_id ("sha256:" optional). "" chooses none (nullopt). Fails with
/// `usage` naming --layer: a position out of range (any number of digits), no match, or
/// a prefix that matches several layers.
util::Result<std::optional<std::size_t>> select_layer(const std::vector<LayerId>& ids, std::string_view selector);

}  // namespace tarsier::image
