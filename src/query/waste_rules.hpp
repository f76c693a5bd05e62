#pragma once
/// dive's three CI rules over a waste report: the one evaluation `tarsier waste` and
/// `tarsier check` share, with dive's verdicts and messages.

#include <string>
#include <string_view>
#include <vector>

#include "fs/waste.hpp"
#include "policy/policy.hpp"

namespace tarsier::query {

/// One rule's verdict.
struct WasteRuleResult {
    std::string_view dive_key;  ///< dive's key: "lowestEfficiency"
    std::string_view id;        ///< tarsier's id: "lowest-efficiency"
    std::string_view summary;   ///< what the rule checks
    bool enabled = false;       ///< false: "disabled"
    bool passed = true;
    std::string message;        ///< dive's message when it failed
};

/// The rules in dive's report order (highestUserWastedPercent, highestWastedBytes,
/// lowestEfficiency); each fails as dive's does: efficiency below the lowest, more wasted
/// bytes than the highest, wasted / user bytes above the highest.
std::vector<WasteRuleResult> evaluate_waste_rules(const fs::WasteReport& report, const policy::WasteRules& rules);

/// "id: message" for each rule that failed, in order (waste's FAIL lines and JSON violations).
std::vector<std::string> violation_lines(const std::vector<WasteRuleResult>& results);

}  // namespace tarsier::query
