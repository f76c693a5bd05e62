#pragma once
/// The filesystem queries: what each layer changed (`changes`), which layers touched a
/// path (`blame`) and the merged filesystem after a layer (`files`). Their answers point
/// into the merged tree they carry, so each report owns its tree.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "fs/tree.hpp"
#include "image/model.hpp"
#include "query/image_layers.hpp"
#include "query/owners.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// One layer's changes with its identity.
struct LayerChangeSet {
    image::LayerId layer;
    fs::LayerChanges changes;
};

/// What the filesystem queries read: file indexes with every layer's digests.
inline constexpr Needs kFilesNeeds{.files = true, .estimate_gzip = false, .digests = true};

/// The layers of an image read with file indexes.
struct Indexed {
    ImageLayers layers;
    std::vector<std::shared_ptr<const archive::LayerIndex>> indexes;
};
/// Reads every layer of `img` with its file index (and, with `owner`, the package
/// databases' bytes); fails on a layer that cannot be read.
util::Result<Indexed> read_indexed(const image::Archive& archive, const image::Image& img, const ReadOptions& options,
                                   bool owner = false);

/// The layers read with file indexes, and the layer `selector` (--layer) chose (nullopt: none given).
struct Chosen {
    Indexed read;
    std::optional<std::size_t> layer;
};
/// Chooses --layer `selector` before the blobs are read when it can be decided then: a
/// position, or every layer's blob digest known from descriptors (read_choosing's first
/// step). Otherwise nullopt: it is chosen after reading, once every blob is hashed.
std::optional<util::Result<std::optional<std::size_t>>> preselect(const image::Archive& archive, const image::Image& img,
                                                                  std::string_view selector);

/// read_indexed, choosing --layer before the blobs are read when it can be decided then.
util::Result<Chosen> read_choosing(const image::Archive& archive, const image::Image& img, std::string_view selector,
                                   const ReadOptions& options, bool owner = false);

struct ChangesOptions {
    std::string layer;  ///< --layer: position, digest or diff_id prefix ("" for every layer)
    ReadOptions read;
};
struct ChangesReport {
    fs::MergedTree tree;                  ///< what the changes point at
    std::vector<LayerChangeSet> layers;   ///< the layers shown, base first
    std::vector<image::Finding> findings;
};
/// Each layer's changes (or the chosen layer's). Fails on a bad --layer (usage) and on a
/// layer that cannot be read (naming it).
util::Result<ChangesReport> changes(const image::Archive& archive, const image::Image& img,
                                    const ChangesOptions& options);

struct BlameOptions {
    std::string path;  ///< inside the image; relative paths start at the root
    bool owner = false;  ///< --owner: the packages owning each changed path after its layer
                         ///< (needs an archive opened with kPackagesNeeds)
    ReadOptions read;
};
struct BlameReport {
    std::string path;                     ///< normalised (no leading '/')
    fs::MergedTree tree;
    std::vector<LayerChangeSet> layers;   ///< the layers that touched the path, with those changes
    /// With --owner: for each layer shown, for each of its changes, the owners of the
    /// change's path in the inventory after that layer.
    std::optional<std::vector<std::vector<std::vector<Owner>>>> owners;
    std::vector<image::Finding> findings;
};
/// Every layer that added, changed or deleted the path or anything below it.
util::Result<BlameReport> blame(const image::Archive& archive, const image::Image& img, const BlameOptions& options);

struct FilesOptions {
    std::string layer;                  ///< --layer: the filesystem after this layer ("" for the top)
    std::vector<std::string> patterns;  ///< paths or globs; relative ones start at the root
    bool owner = false;  ///< --owner: the packages owning each path after the layer
                         ///< (needs an archive opened with kPackagesNeeds)
    ReadOptions read;
};
struct FilesReport {
    fs::MergedTree tree;
    std::size_t layer = 0;                   ///< the filesystem after this layer
    std::vector<const fs::Node*> nodes;      ///< the paths shown, in path order
    std::optional<std::vector<std::vector<Owner>>> owners;  ///< with --owner: each node's owners
    std::vector<std::string> unmatched;      ///< patterns that matched nothing
    std::vector<image::Finding> findings;
};
/// The merged filesystem after a layer, optionally only the paths matching `patterns`.
util::Result<FilesReport> files(const image::Archive& archive, const image::Image& img, const FilesOptions& options);

/// Whether `path` (normalised, no leading '/') is matched by a pattern: the pattern names
/// it or a directory above it, or is a glob (fnmatch, '/' matched only by '/') matching it.
bool path_matches(std::string_view path, std::string_view pattern);

}  // namespace tarsier::query
