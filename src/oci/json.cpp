#include "oci/json.hpp"

#include <fmt/format.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace tarsier::oci {

using util::ErrorKind;
using util::fail;
using util::Result;

namespace {

/// Scans nesting depth without recursion before the real parse.
std::optional<std::size_t> too_deep(std::string_view text, unsigned max_depth) {
    unsigned depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') {
            if (++depth > max_depth) return i;
        } else if ((c == '}' || c == ']') && depth > 0) --depth;
    }
    return std::nullopt;
}

const char* type_name(const JsonValue& v) {
    switch (v.GetType()) {
        case rapidjson::kNullType: return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType: return "a boolean";
        case rapidjson::kObjectType: return "an object";
        case rapidjson::kArrayType: return "an array";
        case rapidjson::kStringType: return "a string";
        case rapidjson::kNumberType: return "a number";
    }
    return "a value";
}

util::Failure type_error(const std::string& pointer, const char* want, const JsonValue& got) {
    return fail(ErrorKind::malformed, pointer, fmt::format("expected {}, found {}", want, type_name(got)));
}

}  // namespace

Result<std::unique_ptr<JsonDocument>> parse_json(std::string_view text, const std::string& source, unsigned max_depth) {
    if (auto at = too_deep(text, max_depth))
        return fail(ErrorKind::malformed, source, fmt::format("JSON nested deeper than {} levels at byte {}", max_depth, *at));
    auto d = std::make_unique<JsonDocument>();
    d->source = source;
    d->doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    if (d->doc.HasParseError())
        return fail(ErrorKind::malformed, source,
                    fmt::format("invalid JSON at byte {}: {}", d->doc.GetErrorOffset(),
                                rapidjson::GetParseError_En(d->doc.GetParseError())));
    return d;
}

std::string pointer_join(const std::string& pointer, std::string_view key) {
    std::string out = pointer + "/";
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

std::string pointer_join(const std::string& pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

const JsonValue* member(const JsonValue& obj, std::string_view key) {
    if (!obj.IsObject()) return nullptr;
    const JsonValue* found = nullptr;
    for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
        if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == key) found = &it->value;
    }
    return found;
}

Result<std::optional<std::string>> opt_string(const JsonValue& obj, std::string_view key, const std::string& pointer) {
    const JsonValue* v = member(obj, key);
    if (!v || v->IsNull()) return std::optional<std::string>{};
    if (!v->IsString()) return type_error(pointer_join(pointer, key), "a string", *v);
    return std::optional<std::string>(std::string(v->GetString(), v->GetStringLength()));
}

Result<std::string> req_string(const JsonValue& obj, std::string_view key, const std::string& pointer) {
    const JsonValue* v = member(obj, key);
    if (!v) return fail(ErrorKind::malformed, pointer_join(pointer, key), "required field is missing");
    if (!v->IsString()) return type_error(pointer_join(pointer, key), "a string", *v);
    return std::string(v->GetString(), v->GetStringLength());
}

Result<std::optional<std::int64_t>> opt_int(const JsonValue& obj, std::string_view key, const std::string& pointer) {
    const JsonValue* v = member(obj, key);
    if (!v || v->IsNull()) return std::optional<std::int64_t>{};
    if (v->IsInt64()) return std::optional<std::int64_t>(v->GetInt64());
    if (v->IsDouble()) {
        double d = v->GetDouble();
        if (d >= -9.2e18 && d <= 9.2e18 && static_cast<double>(static_cast<std::int64_t>(d)) == d)
            return std::optional<std::int64_t>(static_cast<std::int64_t>(d));
    }
    return type_error(pointer_join(pointer, key), "an integer", *v);
}

Result<std::optional<bool>> opt_bool(const JsonValue& obj, std::string_view key, const std::string& pointer) {
    const JsonValue* v = member(obj, key);
    if (!v || v->IsNull()) return std::optional<bool>{};
    if (!v->IsBool()) return type_error(pointer_join(pointer, key), "a boolean", *v);
    return std::optional<bool>(v->GetBool());
}

Result<std::vector<std::string>> opt_string_array(const JsonValue& obj, std::string_view key, const std::string& pointer) {
    std::vector<std::string> out;
    const JsonValue* v = member(obj, key);
    if (!v || v->IsNull()) return out;
    std::string p = pointer_join(pointer, key);
    if (!v->IsArray()) return type_error(p, "an array", *v);
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
        const JsonValue& s = (*v)[i];
        if (!s.IsString()) return type_error(pointer_join(p, i), "a string", s);
        out.emplace_back(s.GetString(), s.GetStringLength());
    }
    return out;
}

Result<std::map<std::string, std::string>> opt_string_map(const JsonValue& obj, std::string_view key, const std::string& pointer) {
    std::map<std::string, std::string> out;
    const JsonValue* v = member(obj, key);
    if (!v || v->IsNull()) return out;
    std::string p = pointer_join(pointer, key);
    if (!v->IsObject()) return type_error(p, "an object", *v);
    for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
        std::string k(it->name.GetString(), it->name.GetStringLength());
        if (!it->value.IsString()) return type_error(pointer_join(p, k), "a string", it->value);
        out[k] = std::string(it->value.GetString(), it->value.GetStringLength());
    }
    return out;
}

Result<std::vector<std::string>> opt_key_set(const JsonValue& obj, std::string_view key, const std::string& pointer) {
    std::vector<std::string> out;
    const JsonValue* v = member(obj, key);
    if (!v || v->IsNull()) return out;
    if (!v->IsObject()) return type_error(pointer_join(pointer, key), "an object", *v);
    for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) out.emplace_back(it->name.GetString(), it->name.GetStringLength());
    return out;
}

Result<void> expect_object(const JsonValue& v, const std::string& pointer) {
    if (!v.IsObject()) return type_error(pointer.empty() ? "/" : pointer, "an object", v);
    return {};
}

std::string to_json(const JsonValue& v) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace tarsier::oci
