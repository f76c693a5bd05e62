#pragma once
/// Reading JSON documents defensively: parsed without recursion, every field read through
/// a typed accessor that names the JSON pointer of what is wrong. Duplicate keys resolve
/// to the last occurrence, as Go's encoding/json (and so Docker) does.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "util/result.hpp"

namespace tarsier::oci {

using JsonValue = rapidjson::Value;

/// A parsed JSON document that owns its memory.
struct JsonDocument {
    rapidjson::Document doc;
    std::string source;  ///< the file the document came from, for messages
};

/// Parses `text` iteratively (deep nesting cannot exhaust the stack), refusing nesting
/// deeper than `max_depth`. Errors are `malformed` with the byte offset.
util::Result<std::unique_ptr<JsonDocument>> parse_json(std::string_view text, const std::string& source,
                                                      unsigned max_depth = 512);

/// Appends a member or index to a JSON pointer ("/a/0"), escaping "~" and "/".
std::string pointer_join(const std::string& pointer, std::string_view key);
std::string pointer_join(const std::string& pointer, std::size_t index);

/// The last member named `key` of object `obj`, or nullptr.
const JsonValue* member(const JsonValue& obj, std::string_view key);

/// Typed readers. Each names `pointer` in its error; a member that is absent or null gives
/// nullopt (or the empty value) for the optional forms.
util::Result<std::optional<std::string>> opt_string(const JsonValue& obj, std::string_view key, const std::string& pointer);
util::Result<std::string> req_string(const JsonValue& obj, std::string_view key, const std::string& pointer);
util::Result<std::optional<std::int64_t>> opt_int(const JsonValue& obj, std::string_view key, const std::string& pointer);
util::Result<std::optional<bool>> opt_bool(const JsonValue& obj, std::string_view key, const std::string& pointer);
util::Result<std::vector<std::string>> opt_string_array(const JsonValue& obj, std::string_view key, const std::string& pointer);
/// A string->string object (labels, annotations).
util::Result<std::map<std::string, std::string>> opt_string_map(const JsonValue& obj, std::string_view key, const std::string& pointer);
/// The keys of an object used as a set (ExposedPorts, Volumes).
util::Result<std::vector<std::string>> opt_key_set(const JsonValue& obj, std::string_view key, const std::string& pointer);
/// Requires `v` to be an object.
util::Result<void> expect_object(const JsonValue& v, const std::string& pointer);

/// Serialises a value compactly (for keeping raw sub-documents).
std::string to_json(const JsonValue& v);

}  // namespace tarsier::oci
