#pragma once
/// `tarsier check`: verify, audit and waste in one pass over an archive, judged by one
/// policy (policy/policy.hpp). Each layer blob is read once: the verification scans every
/// blob with the file index the audit and the waste need, and those reuse its scans.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "fs/waste.hpp"
#include "image/model.hpp"
#include "policy/policy.hpp"
#include "query/read.hpp"
#include "verify/check.hpp"

namespace tarsier::query {

struct CheckOptions {
    policy::Policy policy;
    std::int64_t now = 0;           ///< Unix seconds: suppressions expire against it
    std::uint64_t max_layer_size = 256ull << 30;  ///< as verify's
    std::uint64_t max_ratio = 2000;                ///< as verify's
    ReadOptions read;
};

/// The rule groups, in report order (a packages group is to come).
enum class RuleGroup { verify, audit, waste, policy };
/// "verify", "audit", "waste", "policy".
std::string_view to_string(RuleGroup g);

/// One thing a rule found that is not a pass.
struct Violation {
    RuleGroup group = RuleGroup::verify;
    std::string rule;       ///< the rule's id ("layer-diff-id", "setuid-file", "lowest-efficiency")
    std::string severity;   ///< audit's severity; "error" or "warning" for the others
    std::string path;       ///< what it is about (a path in the image, a config key, a subject)
    std::optional<std::size_t> layer;  ///< the layer, for audit file findings
    std::string message;
    bool error = false;     ///< the policy makes it fail the check (before suppression)
    std::optional<std::size_t> suppressed_by;  ///< index into CheckReport::suppressions
};

/// A policy suppression and what became of it.
struct SuppressionUse {
    policy::Ignore ignore;
    bool expired = false;      ///< past its date: it suppressed nothing
    std::size_t matched = 0;   ///< violations it suppressed (or would have, when expired)
};

/// One rule's outcome (one JUnit testcase).
struct RuleOutcome {
    RuleGroup group = RuleGroup::verify;
    std::string id;
    std::string summary;        ///< one line: what the rule checks
    bool enabled = true;        ///< false: disabled by the policy (skipped)
    std::size_t errors = 0;     ///< unsuppressed violations that fail the check
    std::size_t warnings = 0;   ///< violations that do not fail it
    std::size_t suppressed = 0;
    [[nodiscard]] bool failed() const { return errors > 0; }
};

/// Everything `tarsier check` found.
struct CheckReport {
    std::string archive;
    std::string image_id;                    ///< "" when no image could be chosen
    std::string policy_source;               ///< "" for the default policy
    verify::Report verify;
    std::optional<audit::Report> audit;      ///< absent when the archive could not be resolved
    std::optional<fs::WasteReport> waste;
    policy::WasteRules waste_rules;
    std::optional<audit::Severity> fail_on;
    std::vector<Violation> violations;       ///< in group order, then as each group sorts them
    std::vector<SuppressionUse> suppressions;
    std::vector<RuleOutcome> rules;          ///< in group order, then by id
    std::vector<image::Finding> findings;    ///< notes about reading
    [[nodiscard]] bool passed() const;
};

/// Checks image `selector` of the archive at `path`. Fails when the archive cannot be
/// read or the image not chosen; a damaged archive whose documents cannot be resolved is
/// a report with its verify failures and no audit or waste.
util::Result<CheckReport> check(const std::string& path, const std::string& selector, const CheckOptions& options);

}  // namespace tarsier::query
