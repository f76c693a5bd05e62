#pragma once
/// Version ordering by each package format's own rules.

#include <string_view>

namespace tarsier::pkg {

/// rpm's ordering (rpm 4.18's rpmvercmp on E:V-R objects) of two "[epoch:]version[-release]"
/// strings: the epochs (an absent one is 0), then the versions, then the releases (no
/// release sorts before any release), each compared segment by segment with rpmvercmp's
/// rules ("~" sorts before everything, "^" after the end of a version and before anything
/// else). <0, 0, >0.
int compare_rpm_versions(std::string_view a, std::string_view b);

}  // namespace tarsier::pkg
