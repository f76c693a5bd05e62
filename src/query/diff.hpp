#pragma once
/// `tarsier diff`: what differs between two images (files, config, history, layers, and
/// the installed packages).

#include <string>
#include <vector>

#include "fs/diff.hpp"
#include "fs/tree.hpp"
#include "image/model.hpp"
#include "query/packages.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// One of the two images compared, as the header names it.
struct DiffSide {
    std::string archive;                  ///< the path the user gave
    std::string image_id;                 ///< "sha256:…"
    std::vector<std::string> references;  ///< "repository:tag", as `tarsier ls` shows them
};

/// What was compared, for the header and the JSON "ignored" list.
struct DiffReport {
    DiffSide before, after;
    fs::ImageDiffOptions options;
    fs::ImageDifferences differences;
    fs::MergedTree before_tree, after_tree;  ///< what the file differences point at
    /// Whether either image has a package database at its top (otherwise there is no
    /// package section to show).
    bool has_packages = false;
    /// The package changes from the old image's top to the new one's (query::compare_inventories).
    std::vector<PackageChange> packages;
    /// Package databases that could not be read, "old: ..." or "new: ..." and the problem.
    std::vector<std::string> package_problems;
    std::vector<image::Finding> findings;

    /// Whether anything that was compared differs (files, config, history, layers, packages).
    [[nodiscard]] bool differ() const { return differences.differ() || !packages.empty(); }
};

/// Compares image `before` of `before_archive` with `after` of `after_archive` (they may be
/// the same archive). The archives must be opened with kPackagesNeeds for the package
/// section (the databases' bytes are kept as the layers stream). Fails on a layer that cannot be read, naming the archive and layer.
util::Result<DiffReport> diff(const image::Archive& before_archive, const image::Image& before,
                              const image::Archive& after_archive, const image::Image& after,
                              const fs::ImageDiffOptions& options, const ReadOptions& read);

}  // namespace tarsier::query
