#pragma once
/// Internal to src/pkg: each ecosystem's version comparison, behind compare_versions()
/// (src/pkg/version.cpp). Each returns <0, 0 or >0.

#include <string_view>

namespace tarsier::pkg {

/// dpkg's order (deb-version(7)): epoch numerically, then upstream version and Debian
/// revision by dpkg's verrevcmp (`~` before everything, even the end; letters before
/// other characters; digit runs numerically).
int compare_deb_versions(std::string_view a, std::string_view b);
/// apk-tools' order of Gentoo-style versions: digits{.digits}[letter]{_suffix[digits]}[-rN].
int compare_apk_versions(std::string_view a, std::string_view b);
/// rpm's order of "[epoch:]version-release" (rpmvercmp on each part).
int compare_rpm_versions(std::string_view a, std::string_view b);

}  // namespace tarsier::pkg
