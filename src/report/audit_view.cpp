#include "report/audit_view.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "report/json_writer.hpp"
#include "report/sarif.hpp"
#include "report/table.hpp"
#include "report/width.hpp"
#include "report/xml_escape.hpp"
#include "util/strings.hpp"
#include "util/plural.hpp"

namespace tarsier::report {

using audit::Severity;

namespace {

constexpr Severity kBySeverity[] = {Severity::critical, Severity::high, Severity::medium, Severity::low, Severity::info};

std::string layer_digest(const image::LayerId& l) { return l.digest.empty() ? l.diff_id : l.digest; }

const image::LayerId* layer_of(const audit::Report& rep, const audit::Finding& f) {
    if (!f.layer || *f.layer >= rep.layers.size()) return nullptr;
    return &rep.layers[*f.layer];
}

/// What a finding is about, for one-line messages: the path or "config <key>".
std::string subject(const audit::Finding& f) { return f.layer ? f.path : "config " + f.config_key; }

std::string summary_counts(const audit::Report& rep) {
    std::string out;
    for (Severity s : kBySeverity) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", rep.count(s), audit::to_string(s));
    return out;
}

bool failing(const audit::Finding& f, const AuditViewOptions& o) { return o.fail_on && f.severity >= *o.fail_on; }

template <typename W>
void put_layer(W& w, const image::LayerId& l) {
    w.StartObject();
    w.Key("index");
    w.Uint64(l.position);
    w.Key("digest");
    put_or_null(w, l.digest);
    w.Key("diffId");
    put_or_null(w, l.diff_id);
    w.Key("createdBy");
    put(w, l.created_by);
    w.EndObject();
}

std::string finish(const JsonBuffer& buf) { return go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n"; }

}  // namespace

std::string_view sarif_level(Severity s) {
    switch (s) {
        case Severity::critical:
        case Severity::high: return "error";
        case Severity::medium: return "warning";
        case Severity::low:
        case Severity::info: return "note";
    }
    return "note";
}

std::string render_audit_text(const audit::Report& rep, const AuditViewOptions& o) {
    std::string out;
    if (rep.findings.empty()) {
        out += "No findings.\n";
    } else {
        Table t;
        t.add_row({"SEVERITY", "RULE", "LAYER", "PATH", "DETAIL"});
        std::vector<bool> used(rep.layers.size(), false);
        for (const auto& f : rep.findings) {
            std::string layer = f.layer ? std::to_string(*f.layer) : "config";
            if (f.layer && *f.layer < used.size()) used[*f.layer] = true;
            t.add_row({std::string(audit::to_string(f.severity)), f.rule, layer,
                       util::escape_for_display(f.layer ? f.path : f.config_key), util::escape_for_display(f.detail)});
        }
        out += t.render();
        out += '\n';
        if (std::find(used.begin(), used.end(), true) != used.end()) {
            Table legend;
            legend.add_row({"LAYER", "DIGEST", "CREATED BY"});
            for (const auto& l : rep.layers) {
                if (l.position < used.size() && used[l.position])
                    legend.add_row({std::to_string(l.position), o.no_trunc ? layer_digest(l) : digest::short_id(layer_digest(l)),
                                    o.no_trunc ? util::escape_for_display(l.created_by)
                                               : ellipsis(util::escape_for_display(l.created_by), 45)});
            }
            out += legend.render();
            out += '\n';
        }
    }
    out += fmt::format("audit: {}: {}", util::count(rep.findings.size(), "finding"), summary_counts(rep));
    if (o.fail_on) {
        bool failed = rep.any_at_or_above(*o.fail_on);
        out += fmt::format("; --fail-on {}: {}", audit::to_string(*o.fail_on), failed ? "FAILED" : "passed");
    }
    return out + "\n";
}

std::string render_audit_json(const audit::Report& rep, const AuditViewOptions& o) {
    JsonBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("archive");
    put(w, o.archive);
    w.Key("image");
    put(w, o.image_id);
    w.Key("failOn");
    if (o.fail_on) put(w, audit::to_string(*o.fail_on));
    else w.Null();
    w.Key("failed");
    w.Bool(o.fail_on && rep.any_at_or_above(*o.fail_on));
    w.Key("summary");
    w.StartObject();
    for (Severity s : kBySeverity) {
        w.Key(audit::to_string(s).data());
        w.Uint64(rep.count(s));
    }
    w.EndObject();
    w.Key("layers");
    w.StartArray();
    for (const auto& l : rep.layers) put_layer(w, l);
    w.EndArray();
    w.Key("findings");
    w.StartArray();
    for (const auto& f : rep.findings) {
        w.StartObject();
        w.Key("ruleId");
        put(w, f.rule);
        w.Key("severity");
        put(w, audit::to_string(f.severity));
        w.Key("layer");
        if (const auto* l = layer_of(rep, f)) put_layer(w, *l);
        else w.Null();
        w.Key("path");
        if (f.layer) put(w, f.path);
        else w.Null();
        w.Key("configKey");
        put_or_null(w, f.config_key);
        w.Key("detail");
        put(w, f.detail);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return finish(buf);
}

std::string render_audit_sarif(const audit::Report& rep, const AuditViewOptions& o) {
    const auto& rules = audit::rules();
    sarif::Log log;
    log.tool_version = o.tool_version;
    for (const auto& r : rules) {
        sarif::Rule sr;
        sr.id = std::string(r.id);
        sr.summary = std::string(r.summary);
        sr.level = std::string(sarif_level(r.severity));
        sr.help_uri = "man:tarsier-audit(1)";
        sr.security_severity = sarif::security_severity(audit::to_string(r.severity));
        sr.tags = {"security"};
        sr.properties = {{"severity", std::string(audit::to_string(r.severity))}};
        log.rules.push_back(std::move(sr));
    }
    for (const auto& f : rep.findings) {
        sarif::Result res;
        res.rule_id = f.rule;
        for (std::size_t i = 0; i < rules.size(); ++i)
            if (rules[i].id == f.rule) res.rule_index = i;
        res.level = std::string(sarif_level(f.severity));
        res.message = subject(f) + ": " + f.detail;
        const auto* l = layer_of(rep, f);
        res.location.uri = l ? sarif::uri_of_path(f.path) : "";
        res.location.name = l ? f.path : f.config_key;
        res.location.qualified = l ? fmt::format("layer {} {}:{}", l->position, layer_digest(*l), f.path) : "config/" + f.config_key;
        res.location.kind = l ? "resource" : "member";
        res.properties = {{"severity", std::string(audit::to_string(f.severity))}};
        if (l) {
            res.properties.push_back({"layer", static_cast<std::uint64_t>(l->position)});
            res.properties.push_back({"layerDigest", layer_digest(*l)});
            res.properties.push_back({"createdBy", l->created_by});
        }
        log.results.push_back(std::move(res));
    }
    const bool failed = o.fail_on && rep.any_at_or_above(*o.fail_on);
    log.invocation = std::make_pair(true, failed ? 1 : 0);
    return sarif::render(log);
}

std::string render_audit_junit(const audit::Report& rep, const AuditViewOptions& o) {
    std::size_t failures = 0;
    std::string cases;
    for (const auto& r : audit::rules()) {
        std::string failed_lines, other_lines;
        std::size_t failed = 0;
        for (const auto& f : rep.findings) {
            if (f.rule != r.id) continue;
            std::string layer = f.layer ? fmt::format("layer {}", *f.layer) : "config";
            std::string line = fmt::format("{} {} {}: {}\n", audit::to_string(f.severity), layer,
                                           f.layer ? f.path : f.config_key, f.detail);
            if (failing(f, o)) {
                ++failed;
                failed_lines += line;
            } else {
                other_lines += line;
            }
        }
        cases += fmt::format("    <testcase classname=\"tarsier.audit\" name=\"{}\"", xml_escape(r.id));
        if (failed == 0 && other_lines.empty()) {
            cases += "/>\n";
            continue;
        }
        cases += ">\n";
        if (failed > 0) {
            ++failures;
            cases += fmt::format("      <failure message=\"{} finding{} at or above {}\">{}</failure>\n", failed, failed == 1 ? "" : "s",
                                 audit::to_string(*o.fail_on), xml_escape_lines(failed_lines));
        }
        if (!other_lines.empty()) cases += fmt::format("      <system-out>{}</system-out>\n", xml_escape_lines(other_lines));
        cases += "    </testcase>\n";
    }
    std::size_t tests = audit::rules().size();
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tarsier audit\" tests=\"{}\" failures=\"{}\" "
                       "errors=\"0\">\n  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n{}"
                       "  </testsuite>\n</testsuites>\n",
                       tests, failures, xml_escape(o.archive), tests, failures, cases);
}

}  // namespace tarsier::report
