#pragma once
/// `tarsier check` output: text, JSON (schemaVersion 1), JUnit XML (one testcase per rule)
/// and SARIF 2.1.0, documented in man/tarsier-check.1.

#include <string>

#include "query/check.hpp"

namespace tarsier::report {

/// What the renderers need besides the report.
struct CheckViewOptions {
    std::string tool_version;  ///< SARIF tool.driver.version
    int exit_code = 0;         ///< SARIF invocations[0].exitCode
};

/// A table of every violation (FAIL, WARN, SUPPRESSED), the suppressions with what each
/// matched, one summary line per group and the verdict "check: passed" or "check: FAILED ...".
std::string render_check_text(const query::CheckReport& rep);
/// {"schemaVersion":1, "archive", "image", "policy", "passed", "verify", "audit", "waste",
/// "rules", "violations", "suppressions"}.
std::string render_check_json(const query::CheckReport& rep);
/// One testsuite per rule group, one testcase per rule: failure when it has unsuppressed
/// errors, skipped when disabled, the rest in system-out.
std::string render_check_junit(const query::CheckReport& rep);
/// SARIF 2.1.0: every rule, one result per violation (suppressed ones with an accepted
/// external suppression), invocations with the exit status.
std::string render_check_sarif(const query::CheckReport& rep, const CheckViewOptions& o);

}  // namespace tarsier::report
