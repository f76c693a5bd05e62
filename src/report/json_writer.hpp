#pragma once
/// JSON output through RapidJSON, escaped the way Go's encoding/json escapes (so output
/// that mimics Docker's matches it byte for byte).

#include <string>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace tarsier::report {

using JsonBuffer = rapidjson::StringBuffer;
using JsonWriter = rapidjson::Writer<JsonBuffer>;
using JsonPrettyWriter = rapidjson::PrettyWriter<JsonBuffer>;

/// Makes a pretty writer that indents with `indent` spaces, like Go's json.MarshalIndent.
inline void configure_pretty(JsonPrettyWriter& w, unsigned indent) {
    w.SetIndent(' ', indent);
}

/// Rewrites serialised JSON so that strings are escaped as Go's encoding/json escapes them:
/// "<", ">", "&" as \u003c, \u003e, \u0026; U+2028/U+2029 escaped; \u00XX in lower case;
/// each invalid UTF-8 byte as \ufffd. With `escape_html` false, "<", ">" and "&" stay as
/// they are (a json.Encoder with SetEscapeHTML(false), as Docker's `json` template function).
std::string go_escape(std::string_view json, bool escape_html = true);

/// Writes a string value.
template <typename W>
void put(W& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

/// Writes a string value, or null when it is empty.
template <typename W>
void put_or_null(W& w, const std::string& s) {
    if (s.empty()) w.Null();
    else put(w, s);
}

/// Writes `key`, then the string value or null when it is empty.
template <typename W>
void put_or_null(W& w, const char* key, const std::string& s) {
    w.Key(key);
    put_or_null(w, s);
}

}  // namespace tarsier::report
