#pragma once
/// How the packages of one inventory changed into another's: what `tarsier diff` shows
/// between two images and what each layer of `tarsier packages` did.

#include <functional>
#include <vector>

#include "pkg/package.hpp"
#include "query/packages.hpp"

namespace tarsier::query {

/// The changes from `before` to `after`, packages matched by pkg::Package::key() (the first
/// record of a key wins). Only installed states count as installed: a package that goes
/// from config-files to installed is `installed`, from installed to config-files (or
/// absent) `removed`. Between two installed records pkg::compare_versions orders the full
/// versions (upgraded, downgraded); an equal version with another state or other files is
/// `changed`, and so is one that `also_changed` names (the dpkg md5sums a layer rewrote,
/// when the digests were not read; none by default). Sorted by kind (in
/// PackageChangeKind's order), name, arch, ecosystem.
std::vector<PackageChange> compare_inventories(const pkg::Inventory& before, const pkg::Inventory& after,
                                               const std::function<bool(const pkg::Package&)>& also_changed = {});

}  // namespace tarsier::query
