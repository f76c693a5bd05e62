// PLACEHOLDER (pkg-rpm replaces): the rpm helper's version_rpm.cpp implements rpmvercmp.
// This stub exists only so that branch pkg-debapk links; it orders nothing.
#include "pkg/version.hpp"

namespace tarsier::pkg {

int compare_rpm_versions(std::string_view, std::string_view) { return 0; }

}  // namespace tarsier::pkg
