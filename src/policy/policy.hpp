#pragma once
/// The policy of `tarsier check`: which verify warnings are errors, the audit severity
/// that fails, waste thresholds, and findings to ignore (by rule id and path glob, with a
/// reason and an optional expiry date). Read from YAML (man/tarsier-policy.5), or from
/// dive's `.dive-ci` for the waste rules (dive_ci.hpp). Rules are grouped (verify, audit,
/// waste) so that further groups (packages) add a section without changing the others.
/// Nothing here prints, exits or reads the clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.hpp"
#include "util/result.hpp"

namespace tarsier::policy {

/// A calendar date (UTC), as written in a policy file ("2027-01-31").
struct Date {
    std::int64_t days = 0;  ///< days since 1970-01-01
    std::string text;       ///< as written
};
/// Parses "YYYY-MM-DD" (a real date of the proleptic Gregorian calendar).
std::optional<Date> parse_date(std::string_view text);

/// One suppression: findings of `rule` whose path (or subject) matches `path` are
/// ignored, for `reason`, until `expires` (from that day on it suppresses nothing).
struct Ignore {
    std::string rule;                ///< a rule id ("setuid-file", "media-type", "lowest-efficiency")
    std::string path;                ///< a glob of paths; "" matches every finding of the rule
    std::string reason;              ///< required: why it is acceptable
    std::optional<Date> expires;     ///< nullopt: never expires
    std::string where;               ///< "policy.yaml:12", for messages
};

/// dive's three CI rules; nullopt disables one.
struct WasteRules {
    std::optional<double> lowest_efficiency;         ///< fail when efficiency < this
    std::optional<std::uint64_t> highest_wasted_bytes;  ///< fail when wasted bytes > this
    std::optional<double> highest_user_wasted;       ///< fail when wasted / user bytes > this
    bool dive_compatible = false;                    ///< count waste as dive does
    std::string source;                              ///< the file that set them ("" when none)
    [[nodiscard]] bool any() const { return lowest_efficiency || highest_wasted_bytes || highest_user_wasted; }
};

/// A threshold range check shared by every way thresholds arrive (options, policy,
/// .dive-ci): a threshold that can never fire or always fires is a usage error naming
/// `where` (lowest efficiency in (0, 1], user waste in [0, 1], bytes below 2^64 - 1).
util::Result<void> check_waste_rules(const WasteRules& rules, std::string_view where);

/// The whole policy.
struct Policy {
    std::string source;                       ///< the file it came from ("" for the defaults)
    bool verify_strict = false;               ///< every verify warning is an error
    std::vector<std::string> verify_errors;   ///< these verify warning ids are errors
    std::optional<audit::Severity> audit_fail_on = audit::Severity::high;  ///< nullopt: never
    WasteRules waste;
    std::vector<Ignore> ignores;
};

/// Parses a policy file's text; `name` names it in errors. Unknown keys, wrong types,
/// out-of-range thresholds and bad dates are usage errors naming the key and its line.
util::Result<Policy> parse_policy(std::string_view text, const std::string& name);

/// Reads and parses the policy file at `path` (unreadable: ErrorKind::not_found or usage).
util::Result<Policy> load_policy(const std::string& path);

/// Reads a whole small file (a policy or a .dive-ci), failing with a usage error naming it.
util::Result<std::string> read_text_file(const std::string& path);

}  // namespace tarsier::policy
