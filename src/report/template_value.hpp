#pragma once
/// A value inside an executing template (internal to report/template*.cpp): a JSON value
/// of a row, a constant, or a function's result; and how Go's fmt prints values.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace tarsier::report::tmpl {

/// What Go's reflect would see: JSON null is nil, numbers are int or float64, arrays and
/// objects are []interface{} and map[string]interface{}.
struct Value {
    enum class Kind { none, nil, boolean, integer, floating, string, json, list };
    Kind kind = Kind::none;  ///< none: a missing map entry, printed "<no value>"
    bool boolean = false;
    std::int64_t integer = 0;
    double floating = 0;
    std::string string;
    const rapidjson::Value* node = nullptr;         ///< json: an array or object
    std::shared_ptr<const std::vector<Value>> list;  ///< list: a function's []string
    bool strict = false;                             ///< a typed row: missing fields are errors

    static Value of_json(const rapidjson::Value& v);
    static Value of_string(std::string s) {
        Value v;
        v.kind = Kind::string;
        v.string = std::move(s);
        return v;
    }
    static Value of_int(std::int64_t i) {
        Value v;
        v.kind = Kind::integer;
        v.integer = i;
        return v;
    }
    static Value of_bool(bool b) {
        Value v;
        v.kind = Kind::boolean;
        v.boolean = b;
        return v;
    }
    [[nodiscard]] bool is_array() const { return kind == Kind::list || (kind == Kind::json && node->IsArray()); }
    [[nodiscard]] bool is_object() const { return kind == Kind::json && node->IsObject(); }
    /// Go's type name, for messages: string, int, float64, bool, []interface {}, ...
    [[nodiscard]] std::string type_name() const;
    /// Element count of an array or object.
    [[nodiscard]] std::size_t size() const;
    /// Element i of an array.
    [[nodiscard]] Value at(std::size_t i) const;
};

/// Go's truth: false, 0, "", nil, an empty array or object, and a missing value are false.
bool truth(const Value& v);

/// Appends `v` as Go's fmt prints it with %v (text/template's printValue): "<no value>",
/// "<nil>", numbers as Go, arrays as "[a b]", objects as "map[k:v]" with sorted keys.
void print_value(std::string& out, const Value& v);

/// Docker's `json` function: the value as JSON, without HTML escaping.
std::string json_of(const Value& v);

/// Go's fmt.Sprint, fmt.Sprintln and fmt.Sprintf over the arguments.
std::string go_sprint(const std::vector<Value>& args);
std::string go_sprintln(const std::vector<Value>& args);
std::string go_sprintf(const std::string& format, const std::vector<Value>& args);

}  // namespace tarsier::report::tmpl
