#pragma once
/// `tarsier waste` output.

#include <string>
#include <vector>

#include "fs/waste.hpp"
#include "query/waste_rules.hpp"
#include "report/sink.hpp"

namespace tarsier::report {

/// Summary lines, the wasted paths (COUNT, TOTAL SPACE, WASTED, PATH), then any violated rule.
void render_waste_table(const fs::WasteReport& rep, bool dive_compatible, const std::vector<std::string>& violations,
                        const Sink& out);
/// JSON, schemaVersion 1 (documented in man/tarsier-waste.1).
void render_waste_json(const fs::WasteReport& rep, bool dive_compatible, const std::vector<std::string>& violations,
                       const Sink& out);

/// dive's CI summary (`dive --ci`), as dive prints it: efficiency, wasted bytes and user
/// wasted percent, the inefficient files (count, wasted space, path; most space first),
/// each rule's PASS, FAIL or SKIP, and "Result:PASS [Total:3] [Passed:2] ...".
void render_waste_dive_ci(const fs::WasteReport& rep, const std::vector<query::WasteRuleResult>& rules, const Sink& out);

}  // namespace tarsier::report
