#pragma once
/// dive's CI configuration (`.dive-ci`, `dive --ci-config FILE`), read as dive reads it:
/// YAML with a `rules` map of `lowestEfficiency`, `highestWastedBytes` and
/// `highestUserWastedPercent`; each value a number or size as text, or "disabled". A rule
/// the file leaves out takes dive's default (0.9, disabled, 0.1).

#include <string>
#include <string_view>

#include "policy/policy.hpp"

namespace tarsier::policy {

/// dive's rule keys, in the order dive's CI report sorts them.
inline constexpr std::string_view kDiveRuleKeys[] = {"highestUserWastedPercent", "highestWastedBytes", "lowestEfficiency"};

/// Parses a .dive-ci's text; `name` names it in errors. The thresholds count waste as dive
/// does (dive_compatible). Sizes follow dive's go-humanize: "20MB" and "20M" are
/// 20,000,000 bytes, "20MiB" 20,971,520. Unknown keys under `rules` and values dive would
/// call misconfigured are usage errors naming the key and its line.
util::Result<WasteRules> parse_dive_ci(std::string_view text, const std::string& name);

/// Reads and parses the .dive-ci at `path`.
util::Result<WasteRules> load_dive_ci(const std::string& path);

}  // namespace tarsier::policy
