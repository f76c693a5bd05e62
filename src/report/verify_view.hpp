#pragma once
/// `tarsier verify` output: text, JSON (schemaVersion 1) and JUnit XML.

#include <string>
#include <vector>

#include "util/error.hpp"
#include "verify/check.hpp"
#include "query/verify.hpp"

namespace tarsier::report {

/// Failures first, then (unless `quiet`) every check, then one summary line per archive.
/// With `quiet`, only the failures.
std::string render_verify_text(const query::VerifyOutcome& outcome, bool quiet);
/// {"schemaVersion":1,"archives":[…]} (documented in man/tarsier-verify.1).
std::string render_verify_json(const std::vector<query::VerifyOutcome>& outcomes);
/// JUnit XML: one testsuite per archive, one testcase per check.
std::string render_verify_junit(const std::vector<query::VerifyOutcome>& outcomes);

}  // namespace tarsier::report
