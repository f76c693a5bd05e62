#pragma once
/// `packages` taken one layer at a time over a merged tree that the caller builds, so that
/// a caller with more to compute from the same tree (tarsier report: changes, waste and
/// audit too) builds it once. query::packages is this with a tree of its own. Internal to
/// src/query.

#include <cstddef>
#include <memory>
#include <vector>

#include "archive/layer_index.hpp"
#include "fs/tree.hpp"
#include "image/layer_id.hpp"
#include "query/package_root.hpp"
#include "query/packages.hpp"

namespace tarsier::query {

class PackageWalk {
public:
    /// A walk over `tree` (which must outlive the walk); `layers`: every layer of the
    /// image, base first.
    PackageWalk(const fs::MergedTree& tree, std::vector<image::LayerId> layers);
    ~PackageWalk();
    PackageWalk(const PackageWalk&) = delete;
    PackageWalk& operator=(const PackageWalk&) = delete;

    /// Reads what layer `layer` (base first, each once, in order) did to the packages,
    /// just after the caller applied it to the tree: `changes` is what
    /// `tree.apply(index, layer)` returned. `index` must outlive the walk.
    void add_layer(const std::shared_ptr<const archive::LayerIndex>& index, std::size_t layer,
                   const fs::LayerChanges& changes);

    /// How a database that is a hardlink is read when its target's bytes were not kept
    /// (PackageRoot::set_link_reader); without one, such a database is a problem.
    void set_link_reader(LinkReader reader);

    /// Whether dpkg's info/*.md5sums are read (pkg::InventoryOptions::separate_digests; on
    /// by default). Off, the layers' indexes need not hold them (query::kPackagesListNeeds),
    /// and a layer that changed a package's md5sums counts as changing the package, as it
    /// does when they are read.
    void set_file_digests(bool on);

    /// The report of the state after the last layer added: `changes` holds the changes of
    /// every layer added, `indexes` every layer's index. The walk is spent. The report's
    /// `findings` (about reading) are the caller's to fill.
    PackagesReport finish(const std::vector<fs::LayerChanges>& changes,
                          const std::vector<std::shared_ptr<const archive::LayerIndex>>& indexes, bool unowned,
                          bool verify_files);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace tarsier::query
