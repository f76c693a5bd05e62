#pragma once
/// `tarsier packages` output: a text table with the per-layer summary, and JSON
/// (schemaVersion 1, documented in docs/packages-json.md and man/tarsier-packages.1).

#include "query/packages.hpp"
#include "report/sink.hpp"

namespace tarsier::report {

/// NAME, VERSION, ARCH, SOURCE, INSTALLED, LAST CHANGED (one row per package record of the
/// state shown, sorted as the report is; a record not installed shows its state after
/// the version); then the distribution and databases; then each layer's position, digest,
/// CREATED BY and its installs, upgrades, downgrades and removals; then the findings, and
/// the --unowned and --verify-files sections when asked.
void render_packages_text(const query::PackagesReport& rep, const Sink& out);
/// {"schemaVersion":1, "layer", "os", "databases", "packages", "layers", "findings",
///  "unowned", "verifyFiles"}.
void render_packages_json(const query::PackagesReport& rep, const Sink& out);

}  // namespace tarsier::report
