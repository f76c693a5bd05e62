// PLACEHOLDER until the rpm readers land (branch pkg-rpm replaces this file): reads nothing.
#include "pkg/rpm_inventory.hpp"

namespace tarsier::pkg {

void read_rpm_databases(const RootView&, Inventory&) {}

}  // namespace tarsier::pkg
