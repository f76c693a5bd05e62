#pragma once
/// `tarsier audit` output: a text table, JSON (schemaVersion 1), SARIF 2.1.0 and JUnit XML,
/// all documented in man/tarsier-audit.1.

#include <optional>
#include <string>

#include "audit/audit.hpp"

namespace tarsier::report {

/// What the renderers need besides the report.
struct AuditViewOptions {
    std::string archive;                       ///< as the user named it
    std::string image_id;                      ///< "sha256:…"
    std::optional<audit::Severity> fail_on;    ///< --fail-on; nullopt: findings never fail
    std::string tool_version;                  ///< SARIF tool.driver.version
    bool no_trunc = false;                     ///< text: full digests and CREATED BY
};

/// SEVERITY, RULE, LAYER, PATH, DETAIL sorted as the report is; then LAYER, DIGEST,
/// CREATED BY for each layer with findings; then
/// "audit: N findings: N critical, N high, N medium, N low, N info" (and the --fail-on verdict).
std::string render_audit_text(const audit::Report& rep, const AuditViewOptions& o);
/// {"schemaVersion":1, "archive", "image", "failOn", "failed", "summary", "layers", "findings"}.
std::string render_audit_json(const audit::Report& rep, const AuditViewOptions& o);
/// SARIF 2.1.0: one run, tool.driver "tarsier" with every rule, one result per finding.
std::string render_audit_sarif(const audit::Report& rep, const AuditViewOptions& o);
/// JUnit XML: one testcase per rule; it fails when the rule has a finding at or above
/// --fail-on, and lists the findings below it in system-out.
std::string render_audit_junit(const audit::Report& rep, const AuditViewOptions& o);

/// The SARIF level of a severity: critical and high "error", medium "warning", low and info "note".
std::string_view sarif_level(audit::Severity s);

}  // namespace tarsier::report
