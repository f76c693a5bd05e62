#pragma once
/// `tarsier layers`: one row per layer with download (compressed), uncompressed and
/// content sizes. Native output; JSON has a top-level schemaVersion.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/model.hpp"
#include "query/layers.hpp"
#include "report/template.hpp"

namespace tarsier::report {

/// How to print.
struct LayersOptions {
    bool no_trunc = false;
};

std::string render_layers_table(const query::LayersReport& report, const LayersOptions& options);
/// JSON, schemaVersion 1 (documented in man/tarsier-layers.1).
std::string render_layers_json(const query::LayersReport& report);
/// `--format TEMPLATE`: the template over each element of the JSON's "layers" array
/// (position, digest, diffId, ...); a table's headers are the text table's. Fails (usage)
/// on a template error.
util::Result<std::string> render_layers_template(const query::LayersReport& report, const Template& format);

}  // namespace tarsier::report
