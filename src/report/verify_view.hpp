#pragma once
/// `tarsier verify` output: text, JSON (schemaVersion 1) and JUnit XML.

#include <string>
#include <vector>

#include "util/error.hpp"
#include "verify/check.hpp"

namespace tarsier::report {

/// One archive's outcome: a report, or the error that stopped it being read at all.
struct VerifyOutcome {
    std::string archive;
    std::optional<verify::Report> report;
    std::optional<util::Error> error;
};

/// Failures first, then (unless `quiet`) every check, then one summary line per archive.
/// With `quiet`, only the failures.
std::string render_verify_text(const VerifyOutcome& outcome, bool quiet);
/// {"schemaVersion":1,"archives":[…]} (documented in man/tarsier-verify.1).
std::string render_verify_json(const std::vector<VerifyOutcome>& outcomes);
/// JUnit XML: one testsuite per archive, one testcase per check.
std::string render_verify_junit(const std::vector<VerifyOutcome>& outcomes);

}  // namespace tarsier::report
