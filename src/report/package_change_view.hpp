#pragma once
/// How a package change is written, by `tarsier packages` (per layer) and `tarsier diff`
/// (between two images).

#include <cstddef>
#include <string>
#include <vector>

#include "query/packages.hpp"
#include "report/json_writer.hpp"

namespace tarsier::report {

/// How many of `changes` are of kind `k`.
std::size_t count_of(const std::vector<query::PackageChange>& changes, query::PackageChangeKind k);

/// "+ curl 7.88.1-10 (amd64)", "^ tzdata 2025b -> 2026f (all)", "v ...", "- ...",
/// "~ ... (state or files)"; escaped for the terminal, no indent, no newline.
std::string package_change_line(const query::PackageChange& c);

/// {"ecosystem", "name", "arch", "version"} for installed and removed, with "oldVersion"
/// and "newVersion" instead of "version" for the other kinds.
void put_package_change(JsonWriter& w, const query::PackageChange& c);

/// {"installed": [...], "upgraded": [...], "downgraded": [...], "removed": [...],
/// "changed": [...]}: each kind's changes, in the order given.
void put_package_changes(JsonWriter& w, const std::vector<query::PackageChange>& changes);

}  // namespace tarsier::report
