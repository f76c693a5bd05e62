#include "report/sarif.hpp"

#include <fmt/format.h>

#include "report/json_writer.hpp"

namespace tarsier::report::sarif {

namespace {

template <typename W>
void text_object(W& w, const char* key, std::string_view text) {
    w.Key(key);
    w.StartObject();
    w.Key("text");
    put(w, text);
    w.EndObject();
}

template <typename W>
void properties(W& w, const std::vector<Property>& props, const std::vector<std::string>& tags = {},
                const std::optional<std::string>& security = std::nullopt) {
    if (props.empty() && tags.empty() && !security) return;
    w.Key("properties");
    w.StartObject();
    for (const auto& [k, v] : props) {
        w.Key(k.c_str());
        if (const auto* s = std::get_if<std::string>(&v)) put(w, *s);
        else w.Uint64(std::get<std::uint64_t>(v));
    }
    if (!tags.empty()) {
        w.Key("tags");
        w.StartArray();
        for (const auto& t : tags) put(w, t);
        w.EndArray();
    }
    if (security) {
        w.Key("security-severity");
        put(w, *security);
    }
    w.EndObject();
}

template <typename W>
void location(W& w, const Location& l) {
    w.Key("locations");
    w.StartArray();
    w.StartObject();
    if (!l.uri.empty()) {
        w.Key("physicalLocation");
        w.StartObject();
        w.Key("artifactLocation");
        w.StartObject();
        w.Key("uri");
        put(w, l.uri);
        w.EndObject();
        w.EndObject();
    }
    w.Key("logicalLocations");
    w.StartArray();
    w.StartObject();
    w.Key("name");
    put(w, l.name);
    w.Key("fullyQualifiedName");
    put(w, l.qualified);
    w.Key("kind");
    put(w, l.kind);
    w.EndObject();
    w.EndArray();
    w.EndObject();
    w.EndArray();
}

}  // namespace

std::string render(const Log& log) {
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
    put(w, log.tool_version);
    w.Key("rules");
    w.StartArray();
    for (const auto& r : log.rules) {
        w.StartObject();
        w.Key("id");
        put(w, r.id);
        text_object(w, "shortDescription", r.summary);
        if (!r.help_uri.empty()) {
            w.Key("helpUri");
            put(w, r.help_uri);
            text_object(w, "help", r.summary);
        }
        w.Key("defaultConfiguration");
        w.StartObject();
        w.Key("level");
        put(w, r.level);
        w.EndObject();
        properties(w, r.properties, r.tags, r.security_severity);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();  // driver
    w.EndObject();  // tool
    if (log.invocation) {
        w.Key("invocations");
        w.StartArray();
        w.StartObject();
        w.Key("executionSuccessful");
        w.Bool(log.invocation->first);
        w.Key("exitCode");
        w.Int(log.invocation->second);
        w.EndObject();
        w.EndArray();
    }
    w.Key("results");
    w.StartArray();
    for (const auto& r : log.results) {
        w.StartObject();
        w.Key("ruleId");
        put(w, r.rule_id);
        if (r.rule_index) {
            w.Key("ruleIndex");
            w.Uint64(*r.rule_index);
        }
        w.Key("level");
        put(w, r.level);
        text_object(w, "message", r.message);
        location(w, r.location);
        if (r.suppression) {
            w.Key("suppressions");
            w.StartArray();
            w.StartObject();
            w.Key("kind");
            put(w, "external");
            w.Key("status");
            put(w, "accepted");
            w.Key("justification");
            put(w, *r.suppression);
            w.EndObject();
            w.EndArray();
        }
        properties(w, r.properties);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();  // run
    w.EndArray();
    w.EndObject();
    return go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
}

std::string uri_of_path(std::string_view path) {
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

std::optional<std::string> security_severity(std::string_view s) {
    if (s == "critical") return "9.5";
    if (s == "high") return "8.0";
    if (s == "medium") return "5.5";
    if (s == "low") return "3.0";
    return std::nullopt;
}

}  // namespace tarsier::report::sarif
