#include "report/audit_view.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "report/json_writer.hpp"
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

/// A path inside a layer as a relative URI reference (RFC 3986): unreserved bytes and "/"
/// as they are, every other byte percent-encoded, and "." and ".." segments (an escaping
/// tar name) encoded too, so that no consumer resolves them.
std::string path_uri(std::string_view path) {
    if (path.starts_with('/')) path.remove_prefix(1);
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        auto c = static_cast<unsigned char>(path[i]);
        bool segment_start = i == 0 || path[i - 1] == '/';
        auto end = path.find('/', i);
        std::string_view seg = path.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
        if (segment_start && (seg == "." || seg == "..")) {
            for (std::size_t k = 0; k < seg.size(); ++k) out += "%2E";
            i += seg.size() - 1;
            continue;
        }
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                     c == '_' || c == '~' || c == '/';
        out += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
    }
    return out;
}

template <typename W>
void put_or_null(W& w, const std::string& s) {
    if (s.empty()) w.Null();
    else put(w, s);
}

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
    JsonBuffer buf;
    JsonPrettyWriter w(buf);
    configure_pretty(w, 2);
    w.StartObject();
    w.Key("$schema");
    put(w, "https://json.schemastore.org/sarif-2.1.0.json");
    w.Key("version");
    put(w, "2.1.0");
    w.Key("runs");
    w.StartArray();
    w.StartObject();
    w.Key("tool");
    w.StartObject();
    w.Key("driver");
    w.StartObject();
    w.Key("name");
    put(w, "tarsier");
    w.Key("version");
    put(w, o.tool_version);
    w.Key("rules");
    w.StartArray();
    for (const auto& r : rules) {
        w.StartObject();
        w.Key("id");
        put(w, r.id);
        w.Key("shortDescription");
        w.StartObject();
        w.Key("text");
        put(w, r.summary);
        w.EndObject();
        w.Key("defaultConfiguration");
        w.StartObject();
        w.Key("level");
        put(w, sarif_level(r.severity));
        w.EndObject();
        w.Key("properties");
        w.StartObject();
        w.Key("severity");
        put(w, audit::to_string(r.severity));
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();  // driver
    w.EndObject();  // tool
    w.Key("results");
    w.StartArray();
    for (const auto& f : rep.findings) {
        w.StartObject();
        w.Key("ruleId");
        put(w, f.rule);
        for (std::size_t i = 0; i < rules.size(); ++i) {
            if (rules[i].id != f.rule) continue;
            w.Key("ruleIndex");
            w.Uint64(i);
        }
        w.Key("level");
        put(w, sarif_level(f.severity));
        w.Key("message");
        w.StartObject();
        w.Key("text");
        put(w, subject(f) + ": " + f.detail);
        w.EndObject();
        w.Key("locations");
        w.StartArray();
        w.StartObject();
        const auto* l = layer_of(rep, f);
        if (l) {
            w.Key("physicalLocation");
            w.StartObject();
            w.Key("artifactLocation");
            w.StartObject();
            w.Key("uri");
            put(w, path_uri(f.path));
            w.EndObject();
            w.EndObject();
        }
        w.Key("logicalLocations");
        w.StartArray();
        w.StartObject();
        w.Key("name");
        put(w, l ? f.path : f.config_key);
        w.Key("fullyQualifiedName");
        put(w, l ? fmt::format("layer {} {}:{}", l->position, layer_digest(*l), f.path) : "config/" + f.config_key);
        w.Key("kind");
        put(w, l ? "resource" : "member");
        w.EndObject();
        w.EndArray();
        w.EndObject();
        w.EndArray();
        w.Key("properties");
        w.StartObject();
        w.Key("severity");
        put(w, audit::to_string(f.severity));
        if (l) {
            w.Key("layer");
            w.Uint64(l->position);
            w.Key("layerDigest");
            put(w, layer_digest(*l));
            w.Key("createdBy");
            put(w, l->created_by);
        }
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();  // run
    w.EndArray();
    w.EndObject();
    return finish(buf);
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
