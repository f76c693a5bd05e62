#include "query/diff.hpp"

#include "query/changes.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"

namespace tarsier::query {

namespace {

/// The filesystem after the image's last layer.
util::Result<fs::MergedTree> merged_top(const image::Archive& ar, const image::Image& im, const ReadOptions& options,
                                        std::vector<image::Finding>& findings) {
    auto layers = read_layers(ar, im, options, kFilesNeeds);
    auto indexes = layer_indexes(ar, im, layers);
    if (!indexes) return util::fail(indexes.error().in_file(ar.container->path()));
    fs::MergedTree tree;
    for (std::size_t i = 0; i < indexes->size(); ++i) tree.apply((*indexes)[i], i, false);
    for (auto& f : notes_of(ar, std::move(layers.findings))) {
        f.where = f.where.empty() ? ar.container->path() : ar.container->path() + ": " + f.where;
        findings.push_back(std::move(f));
    }
    return tree;
}

DiffSide side_of(const image::Archive& ar, const image::Image& im) {
    DiffSide s{ar.container->path(), im.id, {}};
    for (const auto& r : im.references) s.references.push_back(r.str());
    return s;
}

}  // namespace

util::Result<DiffReport> diff(const image::Archive& before_archive, const image::Image& before,
                              const image::Archive& after_archive, const image::Image& after,
                              const fs::ImageDiffOptions& options, const ReadOptions& read) {
    DiffReport r;
    auto old_tree = merged_top(before_archive, before, read, r.findings);
    if (!old_tree) return old_tree.failure();
    auto new_tree = merged_top(after_archive, after, read, r.findings);
    if (!new_tree) return new_tree.failure();
    r.before_tree = std::move(*old_tree);
    r.after_tree = std::move(*new_tree);
    r.before = side_of(before_archive, before);
    r.after = side_of(after_archive, after);
    r.options = options;
    r.differences = fs::diff_images({&r.before_tree, &before.config}, {&r.after_tree, &after.config}, options);
    return r;
}

}  // namespace tarsier::query
