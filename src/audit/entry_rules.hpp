#pragma once
/// The rules about the entries a layer writes: setuid and setgid files, world-writable
/// files and directories, device nodes, names and links that leave the root, hardlinks to
/// missing targets.

#include <cstddef>
#include <string_view>
#include <vector>

#include "archive/layer_index.hpp"
#include "audit/audit.hpp"
#include "fs/tree.hpp"

namespace tarsier::audit {

/// Appends the findings about the entries of layer `layer` to `out`. `changes` is what
/// `tree.apply(index, layer)` returned and `tree` the merged tree right after it (hardlink
/// targets are looked up there). Only entries the layer added or changed count, so a
/// directory that every layer repeats unchanged is reported once, at the layer that made it.
void check_layer_entries(const archive::LayerIndex& index, const fs::LayerChanges& changes, const fs::MergedTree& tree,
                         std::size_t layer, std::vector<Finding>& out);

/// Whether a symlink at `path` (normalised) pointing at `target` climbs above the root when
/// resolved by its words alone: an absolute target starts at the image root, a relative one
/// at the link's directory, and a ".." with nothing left to pop escapes. Symlinks met on
/// the way are not followed.
bool symlink_escapes_root(std::string_view path, std::string_view target);

/// "/" + path: how findings show a path inside the image.
std::string display_path(std::string_view path);

}  // namespace tarsier::audit
