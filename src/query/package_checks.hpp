#pragma once
/// The checks of `packages` that look at the files packages own, in the merged tree of the
/// state shown: files deleted or overwritten without the package manager, --unowned and
/// --verify-files. Internal to src/query (packages.cpp calls them).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archive/layer_index.hpp"
#include "fs/tree.hpp"
#include "query/package_root.hpp"
#include "query/packages.hpp"

namespace tarsier::query {

/// The tree as `packages` left it, with every layer's changes up to the layer shown.
struct TreeHistory {
    const fs::MergedTree& tree;
    const PackageRoot& root;
    const std::vector<fs::LayerChanges>& changes;                           ///< layers 0 .. shown
    const std::vector<std::shared_ptr<const archive::LayerIndex>>& indexes;  ///< every layer
};

/// An owned path as the tree holds it: its parent directories resolved through the
/// image's symlinks (dpkg lists /lib/... where a merged-/usr image has usr/lib/...).
std::string tree_path(const pkg::RootView& root, std::string_view owned);

/// The first layer in (after, last] that deleted `path` or a directory above it.
std::optional<std::size_t> deleting_layer(const TreeHistory& h, std::string_view path, std::size_t after);

/// Findings (package-files-deleted, package-files-overwritten) for the packages shown.
std::vector<PackageFinding> file_findings(const TreeHistory& h, const std::vector<PackageEntry>& packages);

/// The regular files and symlinks of the tree that no package owns (databases excluded).
std::vector<UnownedFile> unowned_files(const TreeHistory& h, const std::vector<PackageEntry>& packages);

/// Every installed package's files checked against the digests its database records.
std::vector<FileCheck> verify_files(const TreeHistory& h, const std::vector<PackageEntry>& packages);

/// Whether a package in the tree still ships a file (a non-directory it owns exists).
bool ships_files(const pkg::RootView& root, const pkg::Package& p);

}  // namespace tarsier::query
