#pragma once
/// `tarsier cat`: the bytes of one file of the merged filesystem after a layer.

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "image/model.hpp"
#include "query/read.hpp"

namespace tarsier::query {

struct CatOptions {
    std::string path;   ///< inside the image; relative paths start at the root
    std::string layer;  ///< --layer ("" for the top)
    ReadOptions read;
};

/// Receives the file's bytes, piece by piece.
using ByteSink = std::function<util::Result<void>(std::span<const std::uint8_t>)>;

/// Gives the content of `options.path` to `out`. Symlinks (in any component) resolve
/// inside the image root, as the container sees them (an absolute or climbing target
/// starts again at the root, at most 255 of them); a hardlink gives its target's bytes.
/// Fails (not_found) on a missing path, (usage) on a directory, device, FIFO or a symlink
/// loop, and on a layer that cannot be read. Returns the archive's findings.
util::Result<std::vector<image::Finding>> cat(const image::Archive& archive, const image::Image& img,
                                              const CatOptions& options, const ByteSink& out);

}  // namespace tarsier::query
