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

/// Applies Go's HTML-safe escaping to serialised JSON: '<', '>' and '&' become \u003c,
/// \u003e and \u0026, and U+2028/U+2029 become \u2028/\u2029. Those characters can
/// only occur inside strings, so the whole text can be rewritten.
std::string go_escape(std::string_view json);

/// Writes a string value.
template <typename W>
void put(W& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace tarsier::report
