#pragma once
/// `tarsier diff`: what differs between two images (files, config, history, layers).

#include <string>
#include <vector>

#include "fs/diff.hpp"
#include "fs/tree.hpp"
#include "image/model.hpp"
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
    std::vector<image::Finding> findings;
};

/// Compares image `before` of `before_archive` with `after` of `after_archive` (they may be
/// the same archive). Fails on a layer that cannot be read, naming the archive and layer.
util::Result<DiffReport> diff(const image::Archive& before_archive, const image::Image& before,
                              const image::Archive& after_archive, const image::Image& after,
                              const fs::ImageDiffOptions& options, const ReadOptions& read);

}  // namespace tarsier::query
