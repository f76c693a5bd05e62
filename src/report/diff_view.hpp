#pragma once
/// `tarsier diff` and `tarsier blame` output.

#include <string>
#include <vector>

#include "fs/diff.hpp"
#include "report/changes_view.hpp"
#include "query/diff.hpp"

namespace tarsier::report {

/// Sections for files, config, history and layers (those not ignored), each with a
/// count line and one line per difference, then "The images are equal." or "The images
/// differ."; names escaped for the terminal.
void render_diff_text(const query::DiffReport& report, const Sink& out, bool no_trunc = false);
/// JSON, schemaVersion 1 (documented in man/tarsier-diff.1).
void render_diff_json(const query::DiffReport& report, const Sink& out);

/// One row per change: layer, digest, change letter, path, CREATED BY (docker's 12-digit
/// IDs and 45-column CREATED BY unless `no_trunc`). Nothing at all when `layers` is empty.
/// With `owners` (query::BlameReport::owners), a PACKAGE column before CREATED BY.
using BlameOwners = std::vector<std::vector<std::vector<query::Owner>>>;
void render_blame_text(const std::vector<query::LayerChangeSet>& layers, bool no_trunc, const Sink& out,
                       const BlameOwners* owners = nullptr);
/// JSON, schemaVersion 1 (documented in man/tarsier-blame.1); `path` is the one asked about;
/// with `owners`, an "owners" array in each change.
void render_blame_json(const std::string& path, const std::vector<query::LayerChangeSet>& layers, const Sink& out,
                       const BlameOwners* owners = nullptr);

}  // namespace tarsier::report
