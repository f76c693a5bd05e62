#pragma once
/// `tarsier waste` output.

#include <string>
#include <vector>

#include "fs/waste.hpp"
#include "report/sink.hpp"

namespace tarsier::report {

/// Summary lines, the wasted paths (COUNT, TOTAL SPACE, WASTED, PATH), then any violated rule.
void render_waste_table(const fs::WasteReport& rep, bool dive_compatible, const std::vector<std::string>& violations,
                        const Sink& out);
/// JSON, schemaVersion 1 (documented in man/tarsier-waste.1).
void render_waste_json(const fs::WasteReport& rep, bool dive_compatible, const std::vector<std::string>& violations,
                       const Sink& out);

}  // namespace tarsier::report
