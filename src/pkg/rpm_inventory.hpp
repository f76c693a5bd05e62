#pragma once
/// The rpm part of read_inventory (src/pkg/inventory.cpp calls it): finds rpmdb.sqlite,
/// Packages.db or Packages in var/lib/rpm or usr/lib/sysimage/rpm and reads it.

#include "pkg/package.hpp"
#include "pkg/root_view.hpp"

namespace tarsier::pkg {

/// Appends the rpm packages under `root` to `inventory` (packages, databases, problems).
void read_rpm_databases(const RootView& root, Inventory& inventory);

}  // namespace tarsier::pkg
