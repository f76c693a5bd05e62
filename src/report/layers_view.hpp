#pragma once
/// `tarsier layers`: one row per layer with download (compressed), uncompressed and
/// content sizes. Native output; JSON has a top-level schemaVersion.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/model.hpp"
#include "query/layers.hpp"

namespace tarsier::report {

/// How to print.
struct LayersOptions {
    bool no_trunc = false;
};

std::string render_layers_table(const query::LayersReport& report, const LayersOptions& options);
/// JSON, schemaVersion 1 (documented in man/tarsier-layers.1).
std::string render_layers_json(const query::LayersReport& report);

}  // namespace tarsier::report
