#include "report/check_view.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/audit_view.hpp"
#include "report/json_writer.hpp"
#include "report/sarif.hpp"
#include "report/table.hpp"
#include "report/xml_escape.hpp"
#include "util/plural.hpp"
#include "util/strings.hpp"

namespace tarsier::report {

using query::RuleGroup;
using query::Violation;

namespace {

std::string result_of(const Violation& v) { return v.suppressed_by ? "SUPPRESSED" : v.error ? "FAIL" : "WARN"; }

std::string rule_name(RuleGroup g, std::string_view id) { return fmt::format("{}/{}", query::to_string(g), id); }

std::string detail_of(const query::CheckReport& rep, const Violation& v) {
    if (!v.suppressed_by) return v.message;
    const auto& ig = rep.suppressions[*v.suppressed_by].ignore;
    return fmt::format("{} [suppressed: {} ({}{})]", v.message, ig.reason, ig.where,
                       ig.expires ? ", until " + ig.expires->text : "");
}

std::size_t count_if_violations(const query::CheckReport& rep, bool (*pred)(const Violation&)) {
    std::size_t n = 0;
    for (const auto& v : rep.violations) n += pred(v) ? 1 : 0;
    return n;
}

std::string verdict_line(const query::CheckReport& rep) {
    std::vector<std::string> failed;
    for (const auto& r : rep.rules)
        if (r.failed()) failed.push_back(rule_name(r.group, r.id));
    const std::size_t suppressed = count_if_violations(rep, [](const Violation& v) { return v.suppressed_by.has_value(); });
    std::string tail = suppressed ? fmt::format("; {} suppressed", util::count(suppressed, "violation")) : "";
    if (failed.empty()) return fmt::format("check: passed{}\n", tail);
    return fmt::format("check: FAILED: {} violated ({}){}\n", util::count(failed.size(), "rule"), fmt::join(failed, ", "), tail);
}

std::string_view help_uri(RuleGroup g) {
    switch (g) {
        case RuleGroup::verify: return "man:tarsier-verify(1)";
        case RuleGroup::audit: return "man:tarsier-audit(1)";
        case RuleGroup::waste: return "man:tarsier-waste(1)";
        case RuleGroup::policy: return "man:tarsier-policy(5)";
    }
    return "man:tarsier-check(1)";
}

template <typename W>
void put_optional(W& w, const std::optional<double>& v) {
    if (v) w.Double(*v);
    else w.Null();
}

}  // namespace

std::string render_check_text(const query::CheckReport& rep) {
    std::string out;
    if (rep.violations.empty()) {
        out += "No violations.\n";
    } else {
        Table t;
        t.add_row({"RESULT", "RULE", "SEVERITY", "PATH", "DETAIL"});
        for (const auto& v : rep.violations)
            t.add_row({result_of(v), rule_name(v.group, v.rule), v.severity, util::escape_for_display(v.path),
                       util::escape_for_display(detail_of(rep, v))});
        out += t.render();
    }
    if (!rep.suppressions.empty()) {
        out += '\n';
        Table t;
        t.add_row({"SUPPRESSION", "RULE", "PATH", "MATCHED", "EXPIRES", "REASON"});
        for (const auto& u : rep.suppressions)
            t.add_row({u.ignore.where, u.ignore.rule, u.ignore.path.empty() ? "*" : util::escape_for_display(u.ignore.path),
                       std::to_string(u.matched),
                       u.ignore.expires ? u.ignore.expires->text + (u.expired ? " (EXPIRED)" : "") : "never",
                       util::escape_for_display(u.ignore.reason)});
        out += t.render();
    }
    out += '\n';
    const auto& vr = rep.verify;
    out += fmt::format("verify: {}, {} failed, {}{}\n", util::count(vr.checks.size(), "check"), vr.count(verify::Verdict::fail),
                       util::count(vr.count(verify::Verdict::warn), "warning"), vr.strict ? " (strict)" : "");
    if (rep.audit) {
        std::string counts;
        for (auto s : {audit::Severity::critical, audit::Severity::high, audit::Severity::medium, audit::Severity::low,
                       audit::Severity::info})
            counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", rep.audit->count(s), audit::to_string(s));
        out += fmt::format("audit: {}: {}; fail-on {}\n", util::count(rep.audit->findings.size(), "finding"), counts,
                           rep.fail_on ? audit::to_string(*rep.fail_on) : "never");
    } else {
        out += "audit: not run (the image could not be read whole; see verify)\n";
    }
    if (rep.waste) {
        const auto& w = *rep.waste;
        out += fmt::format("waste: efficiency {:.4f} %, wasted {}, user wasted {:.4f} %{}\n", w.efficiency * 100,
                           util::count(w.wasted_bytes, "byte"), w.user_wasted_fraction * 100,
                           rep.waste_rules.dive_compatible ? " (dive-compatible)" : "");
    } else {
        out += "waste: not run (the image could not be read whole; see verify)\n";
    }
    return out + verdict_line(rep);
}

std::string render_check_json(const query::CheckReport& rep) {
    JsonBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("archive");
    put(w, rep.archive);
    w.Key("image");
    put_or_null(w, rep.image_id);
    w.Key("policy");
    put_or_null(w, rep.policy_source);
    w.Key("passed");
    w.Bool(rep.passed());
    w.Key("verify");
    w.StartObject();
    w.Key("checks");
    w.Uint64(rep.verify.checks.size());
    w.Key("failed");
    w.Uint64(rep.verify.count(verify::Verdict::fail));
    w.Key("warnings");
    w.Uint64(rep.verify.count(verify::Verdict::warn));
    w.Key("strict");
    w.Bool(rep.verify.strict);
    w.EndObject();
    w.Key("audit");
    if (rep.audit) {
        w.StartObject();
        w.Key("findings");
        w.Uint64(rep.audit->findings.size());
        w.Key("failOn");
        if (rep.fail_on) put(w, audit::to_string(*rep.fail_on));
        else w.Null();
        w.EndObject();
    } else {
        w.Null();
    }
    w.Key("waste");
    if (rep.waste) {
        const auto& ws = *rep.waste;
        w.StartObject();
        w.Key("mode");
        put(w, rep.waste_rules.dive_compatible ? "dive-compatible" : "default");
        w.Key("efficiency");
        w.Double(ws.efficiency);
        w.Key("totalSize");
        w.Uint64(ws.total_size);
        w.Key("userSize");
        w.Uint64(ws.user_size);
        w.Key("wastedBytes");
        w.Uint64(ws.wasted_bytes);
        w.Key("userWastedFraction");
        w.Double(ws.user_wasted_fraction);
        w.Key("thresholds");
        w.StartObject();
        w.Key("source");
        put_or_null(w, rep.waste_rules.source);
        w.Key("lowestEfficiency");
        put_optional(w, rep.waste_rules.lowest_efficiency);
        w.Key("highestWastedBytes");
        if (rep.waste_rules.highest_wasted_bytes) w.Uint64(*rep.waste_rules.highest_wasted_bytes);
        else w.Null();
        w.Key("highestUserWastedPercent");
        put_optional(w, rep.waste_rules.highest_user_wasted);
        w.EndObject();
        w.EndObject();
    } else {
        w.Null();
    }
    w.Key("rules");
    w.StartArray();
    for (const auto& r : rep.rules) {
        w.StartObject();
        w.Key("group");
        put(w, query::to_string(r.group));
        w.Key("id");
        put(w, r.id);
        w.Key("result");
        put(w, !r.enabled ? "skipped" : r.failed() ? "fail" : "pass");
        w.Key("errors");
        w.Uint64(r.errors);
        w.Key("warnings");
        w.Uint64(r.warnings);
        w.Key("suppressed");
        w.Uint64(r.suppressed);
        w.EndObject();
    }
    w.EndArray();
    w.Key("violations");
    w.StartArray();
    for (const auto& v : rep.violations) {
        w.StartObject();
        w.Key("group");
        put(w, query::to_string(v.group));
        w.Key("ruleId");
        put(w, v.rule);
        w.Key("severity");
        put(w, v.severity);
        w.Key("path");
        put_or_null(w, v.path);
        w.Key("layer");
        if (v.layer) w.Uint64(*v.layer);
        else w.Null();
        w.Key("message");
        put(w, v.message);
        w.Key("error");
        w.Bool(v.error);
        w.Key("suppressedBy");
        if (v.suppressed_by) w.Uint64(*v.suppressed_by);
        else w.Null();
        w.EndObject();
    }
    w.EndArray();
    w.Key("suppressions");
    w.StartArray();
    for (const auto& u : rep.suppressions) {
        w.StartObject();
        w.Key("rule");
        put(w, u.ignore.rule);
        w.Key("path");
        put_or_null(w, u.ignore.path);
        w.Key("reason");
        put(w, u.ignore.reason);
        w.Key("expires");
        if (u.ignore.expires) put(w, u.ignore.expires->text);
        else w.Null();
        w.Key("where");
        put(w, u.ignore.where);
        w.Key("expired");
        w.Bool(u.expired);
        w.Key("matched");
        w.Uint64(u.matched);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
}

std::string render_check_junit(const query::CheckReport& rep) {
    std::string suites;
    std::size_t total_tests = 0, total_failures = 0;
    for (auto g : {RuleGroup::verify, RuleGroup::audit, RuleGroup::waste, RuleGroup::policy}) {
        std::string cases;
        std::size_t tests = 0, failures = 0, skipped = 0;
        for (const auto& r : rep.rules) {
            if (r.group != g) continue;
            ++tests;
            std::string failed_lines, other_lines;
            for (const auto& v : rep.violations) {
                if (v.group != g || v.rule != r.id) continue;
                std::string line = fmt::format("{} {} {}: {}\n", result_of(v), v.severity, v.path, detail_of(rep, v));
                (v.error && !v.suppressed_by ? failed_lines : other_lines) += line;
            }
            cases += fmt::format("    <testcase classname=\"tarsier.check.{}\" name=\"{}\"", query::to_string(g), xml_escape(r.id));
            if (r.enabled && failed_lines.empty() && other_lines.empty()) {
                cases += "/>\n";
                continue;
            }
            cases += ">\n";
            if (!r.enabled) {
                ++skipped;
                cases += "      <skipped message=\"disabled by the policy\"/>\n";
            }
            if (!failed_lines.empty()) {
                ++failures;
                cases += fmt::format("      <failure message=\"{}\">{}</failure>\n", xml_escape(util::count(r.errors, "violation")),
                                     xml_escape_lines(failed_lines));
            }
            if (!other_lines.empty()) cases += fmt::format("      <system-out>{}</system-out>\n", xml_escape_lines(other_lines));
            cases += "    </testcase>\n";
        }
        if (tests == 0) continue;
        total_tests += tests;
        total_failures += failures;
        suites += fmt::format("  <testsuite name=\"{}: {}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n{}  </testsuite>\n",
                              query::to_string(g), xml_escape(rep.archive), tests, failures, skipped, cases);
    }
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tarsier check\" tests=\"{}\" failures=\"{}\" "
                       "errors=\"0\">\n{}</testsuites>\n",
                       total_tests, total_failures, suites);
}

std::string render_check_sarif(const query::CheckReport& rep, const CheckViewOptions& o) {
    sarif::Log log;
    log.tool_version = o.tool_version;
    log.invocation = std::make_pair(true, o.exit_code);
    for (const auto& r : rep.rules) {
        sarif::Rule sr;
        sr.id = rule_name(r.group, r.id);
        sr.summary = r.summary.empty() ? sr.id : r.summary;
        sr.help_uri = std::string(help_uri(r.group));
        sr.level = r.group == RuleGroup::policy ? "warning" : "error";
        if (r.group == RuleGroup::audit) {
            if (const auto* ar = audit::find_rule(r.id)) {
                sr.level = std::string(sarif_level(ar->severity));
                sr.security_severity = sarif::security_severity(audit::to_string(ar->severity));
                sr.properties = {{"severity", std::string(audit::to_string(ar->severity))}};
            }
            sr.tags = {"security"};
        }
        log.rules.push_back(std::move(sr));
    }
    const std::string archive_uri = sarif::uri_of_path(rep.archive);
    for (const auto& v : rep.violations) {
        sarif::Result res;
        res.rule_id = rule_name(v.group, v.rule);
        for (std::size_t i = 0; i < log.rules.size(); ++i)
            if (log.rules[i].id == res.rule_id) res.rule_index = i;
        res.level = v.error ? "error" : (v.severity == "low" || v.severity == "info") ? "note" : "warning";
        res.message = v.path.empty() ? v.message : v.path + ": " + v.message;
        // GitHub code scanning needs a physical location on every result: a file
        // finding is located at its path in the image, everything else at the archive.
        const bool in_layer = v.group == RuleGroup::audit && v.layer;
        res.location.uri = in_layer ? sarif::uri_of_path(v.path) : archive_uri;
        res.location.name = v.path.empty() ? res.rule_id : v.path;
        res.location.qualified = in_layer ? fmt::format("layer {}:{}", *v.layer, v.path)
                                          : fmt::format("{}:{}", rep.archive, res.location.name);
        res.location.kind = in_layer ? "resource" : "member";
        res.properties = {{"group", std::string(query::to_string(v.group))}, {"severity", v.severity}};
        if (v.layer) res.properties.push_back({"layer", static_cast<std::uint64_t>(*v.layer)});
        if (v.suppressed_by) {
            const auto& ig = rep.suppressions[*v.suppressed_by].ignore;
            res.suppression = fmt::format("{} ({}{})", ig.reason, ig.where, ig.expires ? ", until " + ig.expires->text : "");
        }
        log.results.push_back(std::move(res));
    }
    return sarif::render(log);
}

}  // namespace tarsier::report
