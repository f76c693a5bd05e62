#include "query/diff.hpp"

#include "query/changes.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"
#include "query/package_changes.hpp"
#include "query/package_root.hpp"
#include "pkg/inventory.hpp"

namespace tarsier::query {

namespace {

/// The filesystem after the image's last layer, and the packages installed there.
struct Top {
    fs::MergedTree tree;
    pkg::Inventory inventory;
};

util::Result<Top> merged_top(const image::Archive& ar, const image::Image& im, const ReadOptions& options,
                             std::vector<image::Finding>& findings) {
    auto layers = read_layers(ar, im, options, kPackagesNeeds);
    auto indexes = layer_indexes(ar, im, layers);
    if (!indexes) return util::fail(indexes.error().in_file(ar.container->path()));
    Top top;
    PackageRoot root(top.tree);
    for (std::size_t i = 0; i < indexes->size(); ++i) {
        top.tree.apply((*indexes)[i], i, false);
        root.add_layer((*indexes)[i], i);
    }
    top.inventory = pkg::read_inventory(root);
    for (auto& f : notes_of(ar, std::move(layers.findings))) {
        f.where = f.where.empty() ? ar.container->path() : ar.container->path() + ": " + f.where;
        findings.push_back(std::move(f));
    }
    return top;
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
    r.before_tree = std::move(old_tree->tree);
    r.after_tree = std::move(new_tree->tree);
    const auto& old_inv = old_tree->inventory;
    const auto& new_inv = new_tree->inventory;
    r.has_packages = !old_inv.databases.empty() || !new_inv.databases.empty() || !old_inv.problems.empty() ||
                     !new_inv.problems.empty();
    r.packages = compare_inventories(old_inv, new_inv);
    for (const auto& p : old_inv.problems) r.package_problems.push_back("old: " + p.to_string());
    for (const auto& p : new_inv.problems) r.package_problems.push_back("new: " + p.to_string());
    r.before = side_of(before_archive, before);
    r.after = side_of(after_archive, after);
    r.options = options;
    r.differences = fs::diff_images({&r.before_tree, &before.config}, {&r.after_tree, &after.config}, options);
    return r;
}

}  // namespace tarsier::query
