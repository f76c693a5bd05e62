#include "query/waste_rules.hpp"

#include <fmt/format.h>

namespace tarsier::query {

std::vector<WasteRuleResult> evaluate_waste_rules(const fs::WasteReport& rep, const policy::WasteRules& rules) {
    std::vector<WasteRuleResult> out(3);
    auto& user = out[0];
    user.dive_key = "highestUserWastedPercent";
    user.id = "highest-user-wasted-percent";
    user.summary = "wasted bytes as a fraction of the bytes the non-base layers add";
    if ((user.enabled = rules.highest_user_wasted.has_value()) && *rules.highest_user_wasted < rep.user_wasted_fraction) {
        user.passed = false;
        user.message = fmt::format("too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes={} > threshold={})",
                                   rep.user_wasted_fraction, *rules.highest_user_wasted);
    }
    auto& bytes = out[1];
    bytes.dive_key = "highestWastedBytes";
    bytes.id = "highest-wasted-bytes";
    bytes.summary = "wasted bytes: files written by several layers";
    if ((bytes.enabled = rules.highest_wasted_bytes.has_value()) && rep.wasted_bytes > *rules.highest_wasted_bytes) {
        bytes.passed = false;
        bytes.message = fmt::format("too many bytes wasted (wasted-bytes={} > threshold={})", rep.wasted_bytes,
                                    *rules.highest_wasted_bytes);
    }
    auto& eff = out[2];
    eff.dive_key = "lowestEfficiency";
    eff.id = "lowest-efficiency";
    eff.summary = "dive's image efficiency score";
    if ((eff.enabled = rules.lowest_efficiency.has_value()) && *rules.lowest_efficiency > rep.efficiency) {
        eff.passed = false;
        eff.message = fmt::format("image efficiency is too low (efficiency={} < threshold={})", rep.efficiency,
                                  *rules.lowest_efficiency);
    }
    return out;
}

std::vector<std::string> violation_lines(const std::vector<WasteRuleResult>& results) {
    std::vector<std::string> out;
    for (const auto& r : results)
        if (!r.passed) out.push_back(std::string(r.id) + ": " + r.message);
    return out;
}

}  // namespace tarsier::query
