// How a template prints values: Go's fmt (%v, Sprint, Sprintln, Sprintf with the verbs
// people use) over template values, and Docker's `json` function.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>

#include <fmt/format.h>
#include <rapidjson/writer.h>

#include "report/json_writer.hpp"
#include "report/template_value.hpp"
#include "report/width.hpp"
#include "util/strings.hpp"

namespace tarsier::report::tmpl {

Value Value::of_json(const rapidjson::Value& j) {
    Value v;
    if (j.IsNull()) {
        v.kind = Kind::nil;
    } else if (j.IsBool()) {
        v = of_bool(j.GetBool());
    } else if (j.IsInt64()) {
        v = of_int(j.GetInt64());
    } else if (j.IsNumber()) {
        v.kind = Kind::floating;
        v.floating = j.GetDouble();
    } else if (j.IsString()) {
        v = of_string(std::string(j.GetString(), j.GetStringLength()));
    } else {
        v.kind = Kind::json;
        v.node = &j;
    }
    return v;
}

std::string Value::type_name() const {
    switch (kind) {
        case Kind::none:
        case Kind::nil: return "<nil>";
        case Kind::boolean: return "bool";
        case Kind::integer: return "int";
        case Kind::floating: return "float64";
        case Kind::string: return "string";
        case Kind::list: return "[]string";
        case Kind::json: return node->IsArray() ? "[]interface {}" : "map[string]interface {}";
    }
    return "?";
}

std::size_t Value::size() const {
    if (kind == Kind::list) return list->size();
    if (kind == Kind::json) return node->IsArray() ? node->Size() : node->MemberCount();
    return 0;
}

Value Value::at(std::size_t i) const {
    if (kind == Kind::list) return (*list)[i];
    return of_json((*node)[static_cast<rapidjson::SizeType>(i)]);
}

bool truth(const Value& v) {
    switch (v.kind) {
        case Value::Kind::none:
        case Value::Kind::nil: return false;
        case Value::Kind::boolean: return v.boolean;
        case Value::Kind::integer: return v.integer != 0;
        case Value::Kind::floating: return v.floating != 0;
        case Value::Kind::string: return !v.string.empty();
        case Value::Kind::list:
        case Value::Kind::json: return v.size() != 0;
    }
    return false;
}

namespace {

/// The shortest decimal digits of `d` (no sign) and its decimal exponent: d = 0.DIGITS x 10^point.
void shortest_digits(double d, std::string& digits, int& point) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
    std::string_view s(buf, static_cast<std::size_t>(end - buf));
    std::size_t e = s.find('e');
    digits.clear();
    for (char c : s.substr(0, e))
        if (c != '.') digits += c;
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    int exp = 0;
    std::string_view es = s.substr(e + 1);
    if (!es.empty() && es[0] == '+') es.remove_prefix(1);
    std::from_chars(es.data(), es.data() + es.size(), exp);
    point = exp + 1;
    if (digits == "0") point = 1;
}

/// strconv.FormatFloat(d, fmt, -1, 64) for 'e' or 'f' layout from the shortest digits.
std::string layout(bool negative, const std::string& digits, int point, bool exponent) {
    std::string out = negative ? "-" : "";
    if (exponent) {
        out += digits[0];
        if (digits.size() > 1) out += "." + digits.substr(1);
        int x = point - 1;
        out += fmt::format("e{}{:02d}", x < 0 ? '-' : '+', std::abs(x));
        return out;
    }
    if (point <= 0) {
        out += "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
    } else if (static_cast<std::size_t>(point) >= digits.size()) {
        out += digits + std::string(static_cast<std::size_t>(point) - digits.size(), '0');
    } else {
        out += digits.substr(0, static_cast<std::size_t>(point)) + "." + digits.substr(static_cast<std::size_t>(point));
    }
    return out;
}

/// Go's %v of a float64 (strconv 'g', shortest: exponent when < -4 or >= 21 digits... of 6).
std::string go_float(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d < 0 ? "-Inf" : "+Inf";
    std::string digits;
    int point = 0;
    shortest_digits(d, digits, point);
    int x = point - 1;
    return layout(std::signbit(d) && d != 0, digits, point, x < -4 || x >= 6);
}

/// encoding/json's float64: 'f' unless the exponent is < -6 or >= 21.
std::string json_float(double d) {
    std::string digits;
    int point = 0;
    shortest_digits(d, digits, point);
    int x = point - 1;
    bool e = d != 0 && (x < -6 || x >= 21);
    return layout(d < 0, digits, point, e);
}

void print_json(std::string& out, const rapidjson::Value& j) {
    if (j.IsArray()) {
        out += '[';
        for (rapidjson::SizeType i = 0; i < j.Size(); ++i) {
            if (i > 0) out += ' ';
            print_json(out, j[i]);
        }
        out += ']';
    } else if (j.IsObject()) {
        std::map<std::string_view, const rapidjson::Value*> sorted;
        for (auto it = j.MemberBegin(); it != j.MemberEnd(); ++it)
            sorted[std::string_view(it->name.GetString(), it->name.GetStringLength())] = &it->value;
        out += "map[";
        bool first = true;
        for (const auto& [k, v] : sorted) {
            if (!first) out += ' ';
            first = false;
            out += k;
            out += ':';
            print_json(out, *v);
        }
        out += ']';
    } else {
        print_value(out, Value::of_json(j));
    }
}

}  // namespace

void print_value(std::string& out, const Value& v) {
    switch (v.kind) {
        case Value::Kind::none: out += "<no value>"; return;
        case Value::Kind::nil: out += "<nil>"; return;
        case Value::Kind::boolean: out += v.boolean ? "true" : "false"; return;
        case Value::Kind::integer: out += std::to_string(v.integer); return;
        case Value::Kind::floating: out += go_float(v.floating); return;
        case Value::Kind::string: out += v.string; return;
        case Value::Kind::list:
            out += '[';
            for (std::size_t i = 0; i < v.list->size(); ++i) {
                if (i > 0) out += ' ';
                print_value(out, (*v.list)[i]);
            }
            out += ']';
            return;
        case Value::Kind::json: print_json(out, *v.node); return;
    }
}

std::string json_of(const Value& v) {
    JsonBuffer buf;
    JsonWriter w(buf);
    switch (v.kind) {
        case Value::Kind::none:
        case Value::Kind::nil: return "null";
        case Value::Kind::boolean: return v.boolean ? "true" : "false";
        case Value::Kind::integer: return std::to_string(v.integer);
        case Value::Kind::floating: return json_float(v.floating);
        case Value::Kind::string: put(w, v.string); break;
        case Value::Kind::list:
            w.StartArray();
            for (const auto& item : *v.list) put(w, item.string);
            w.EndArray();
            break;
        case Value::Kind::json: v.node->Accept(w); break;
    }
    return go_escape(std::string_view(buf.GetString(), buf.GetSize()), false);
}

std::string go_sprint(const std::vector<Value>& args) {
    std::string out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        // Sprint: a space between operands when neither is a string.
        if (i > 0 && args[i].kind != Value::Kind::string && args[i - 1].kind != Value::Kind::string) out += ' ';
        print_value(out, args[i]);
    }
    return out;
}

std::string go_sprintln(const std::vector<Value>& args) {
    std::string out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i > 0) out += ' ';
        print_value(out, args[i]);
    }
    return out + "\n";
}

namespace {

/// One conversion's flags, width and precision.
struct Spec {
    bool minus = false, plus = false, space = false, zero = false, sharp = false;
    int width = -1, precision = -1;
};

std::size_t rune_count(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

/// Pads `body` to the width; zeros go after a sign when `numeric`.
std::string pad(std::string body, const Spec& s, bool numeric) {
    if (s.width < 0) return body;
    std::size_t n = rune_count(body);
    if (n >= static_cast<std::size_t>(s.width)) return body;
    std::size_t missing = static_cast<std::size_t>(s.width) - n;
    if (s.minus) return body + std::string(missing, ' ');
    if (s.zero && numeric) {
        std::size_t sign = !body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ') ? 1 : 0;
        return body.insert(sign, std::string(missing, '0'));
    }
    return std::string(missing, s.zero ? '0' : ' ') + body;
}

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = util::utf8_sequence_length(s, i, false);
        if (n == 0) {
            out += fmt::format("\\x{:02x}", c);
            ++i;
            continue;
        }
        if (n > 1) {
            out.append(s.substr(i, n));
            i += n;
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\a': out += "\\a"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\v': out += "\\v"; break;
            default:
                if (c < 0x20 || c == 0x7F) out += fmt::format("\\x{:02x}", c);
                else out += static_cast<char>(c);
        }
        ++i;
    }
    return out + "\"";
}

std::string bad_verb(char verb, const Value& v) {
    std::string text;
    print_value(text, v);
    if (v.kind == Value::Kind::nil || v.kind == Value::Kind::none) return fmt::format("%!{}(<nil>)", verb);
    return fmt::format("%!{}({}={})", verb, v.type_name(), text);
}

std::string format_int(std::int64_t i, char verb, const Spec& s) {
    bool negative = i < 0;
    std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
    std::string digits;
    switch (verb) {
        case 'x': digits = fmt::format("{:x}", u); break;
        case 'X': digits = fmt::format("{:X}", u); break;
        case 'o': digits = fmt::format("{:o}", u); break;
        case 'b': digits = fmt::format("{:b}", u); break;
        default: digits = std::to_string(u); break;
    }
    if (s.precision >= 0) {
        if (s.precision == 0 && u == 0) digits.clear();
        if (digits.size() < static_cast<std::size_t>(s.precision))
            digits = std::string(static_cast<std::size_t>(s.precision) - digits.size(), '0') + digits;
    }
    std::string prefix;
    if (s.sharp && (verb == 'x' || verb == 'X')) prefix = verb == 'x' ? "0x" : "0X";
    if (s.sharp && verb == 'o' && (digits.empty() || digits[0] != '0')) prefix = "0";
    std::string sign = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
    Spec p = s;
    if (s.precision >= 0) p.zero = false;  // Go: precision turns off zero padding
    return pad(sign + prefix + digits, p, true);
}

std::string format_float(double d, char verb, const Spec& s) {
    std::string body;
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(verb)));
    if (std::isnan(d) || std::isinf(d)) {
        body = std::isnan(d) ? "NaN" : (d < 0 ? "-Inf" : "+Inf");
        if (!std::isnan(d) && d > 0 && !s.plus) body = "Inf";
        Spec p = s;
        p.zero = false;
        return pad(body, p, false);
    }
    if ((lower == 'g' || verb == 'v') && s.precision < 0) {
        body = go_float(d);
        if (verb == 'G') for (auto& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else {
        int prec = s.precision < 0 ? 6 : s.precision;
        char cfmt[8] = "%.*f";
        cfmt[3] = verb == 'F' ? 'f' : verb;
        char buf[512];
        int n = std::snprintf(buf, sizeof buf, cfmt, prec, d);
        if (n < 0 || n >= static_cast<int>(sizeof buf)) {
            std::string big(static_cast<std::size_t>(std::max(n, 0)) + 1, '\0');
            std::snprintf(big.data(), big.size(), cfmt, prec, d);
            big.resize(static_cast<std::size_t>(std::max(n, 0)));
            body = big;
        } else {
            body.assign(buf, static_cast<std::size_t>(n));
        }
    }
    if (body[0] != '-') body.insert(0, s.plus ? "+" : s.space ? " " : "");
    return pad(body, s, true);
}

std::string format_one(char verb, const Value& v, const Spec& s) {
    using K = Value::Kind;
    switch (v.kind) {
        case K::string:
            switch (verb) {
                case 'v':
                case 's': {
                    std::string text = v.string;
                    if (s.precision >= 0) {
                        std::size_t i = 0, runes = 0;
                        while (i < text.size() && runes < static_cast<std::size_t>(s.precision)) {
                            ++i;
                            while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
                            ++runes;
                        }
                        text.resize(i);
                    }
                    return pad(text, s, false);
                }
                case 'q': return pad(quote(v.string), s, false);
                case 'x':
                case 'X': {
                    std::string out;
                    for (char c : v.string)
                        out += verb == 'x' ? fmt::format("{:02x}", static_cast<unsigned char>(c))
                                           : fmt::format("{:02X}", static_cast<unsigned char>(c));
                    return pad(out, s, false);
                }
                default: return bad_verb(verb, v);
            }
        case K::integer:
            switch (verb) {
                case 'v':
                case 'd':
                case 'x':
                case 'X':
                case 'o':
                case 'b': return format_int(v.integer, verb, s);
                case 'c':
                case 'q': {
                    std::string ch;
                    bool scalar = v.integer >= 0 && v.integer <= 0x10FFFF && !(v.integer >= 0xD800 && v.integer <= 0xDFFF);
                    append_utf8(ch, scalar ? static_cast<char32_t>(v.integer) : char32_t{0xFFFD});
                    if (verb == 'q') {
                        std::string q = quote(ch);
                        ch = "'" + (ch == "'" ? std::string("\\'") : q.substr(1, q.size() - 2) == "\\\"" ? std::string("\"") : q.substr(1, q.size() - 2)) + "'";
                    }
                    return pad(ch, s, false);
                }
                default: return bad_verb(verb, v);
            }
        case K::floating:
            switch (verb) {
                case 'v':
                case 'e':
                case 'E':
                case 'f':
                case 'F':
                case 'g':
                case 'G': return format_float(v.floating, verb, s);
                default: return bad_verb(verb, v);
            }
        case K::boolean:
            if (verb == 'v' || verb == 't') return pad(v.boolean ? "true" : "false", s, false);
            return bad_verb(verb, v);
        default: {
            if (verb != 'v' && verb != 's') return bad_verb(verb, v);
            std::string text;
            print_value(text, v);
            if (v.kind == K::none || v.kind == K::nil) text = v.kind == K::none ? "<nil>" : "<nil>";
            return pad(text, s, false);
        }
    }
}

/// Reads a width or precision of at most 10^6 (Go's limit); false when it is larger.
bool read_number(const std::string& f, std::size_t& i, int& out) {
    long long n = 0;
    bool too_large = false;
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') {
        n = n * 10 + (f[i] - '0');
        if (n > 1000000) too_large = true, n = 1000000;
        ++i;
    }
    out = static_cast<int>(n);
    return !too_large;
}

}  // namespace

std::string go_sprintf(const std::string& f, const std::vector<Value>& args) {
    std::string out;
    std::size_t arg = 0;
    for (std::size_t i = 0; i < f.size();) {
        if (f[i] != '%') {
            std::size_t next = f.find('%', i);
            if (next == std::string::npos) next = f.size();
            out.append(f, i, next - i);
            i = next;
            continue;
        }
        ++i;
        Spec s;
        for (; i < f.size(); ++i) {
            char c = f[i];
            if (c == '-') s.minus = true, s.zero = false;
            else if (c == '+') s.plus = true;
            else if (c == ' ') s.space = true;
            else if (c == '0') s.zero = !s.minus;
            else if (c == '#') s.sharp = true;
            else break;
        }
        if (i < f.size() && f[i] == '*') {
            ++i;
            if (arg < args.size() && args[arg].kind == Value::Kind::integer && std::llabs(args[arg].integer) <= 1000000) {
                s.width = static_cast<int>(args[arg].integer);
                if (s.width < 0) s.minus = true, s.zero = false, s.width = -s.width;
            } else {
                out += "%!(BADWIDTH)";
            }
            ++arg;
        } else if (i < f.size() && f[i] >= '0' && f[i] <= '9') {
            if (!read_number(f, i, s.width)) out += "%!(BADWIDTH)", s.width = -1;
        }
        if (i < f.size() && f[i] == '.') {
            ++i;
            if (i < f.size() && f[i] == '*') {
                ++i;
                if (arg < args.size() && args[arg].kind == Value::Kind::integer && args[arg].integer >= 0 &&
                    args[arg].integer <= 1000000)
                    s.precision = static_cast<int>(args[arg].integer);
                else
                    out += "%!(BADPREC)";
                ++arg;
            } else {
                s.precision = 0;
                if (!read_number(f, i, s.precision)) out += "%!(BADPREC)", s.precision = -1;
            }
        }
        if (i >= f.size()) {
            out += "%!(NOVERB)";
            break;
        }
        std::size_t n = util::utf8_sequence_length(f, i);
        if (n == 0) n = 1;
        char verb = f[i];
        std::string verb_text = f.substr(i, n);
        i += n;
        if (verb == '%') {
            out += '%';
            continue;
        }
        if (arg >= args.size()) {
            out += "%!" + verb_text + "(MISSING)";
            continue;
        }
        if (n > 1 || std::string_view("vsdqxXobcteEfFgG").find(verb) == std::string_view::npos) {
            std::string text;
            print_value(text, args[arg]);
            out += "%!" + verb_text + "(" + args[arg].type_name() + "=" + text + ")";
            ++arg;
            continue;
        }
        out += format_one(verb, args[arg++], s);
    }
    if (arg < args.size()) {
        out += "%!(EXTRA ";
        for (std::size_t k = arg; k < args.size(); ++k) {
            if (k > arg) out += ", ";
            std::string text;
            print_value(text, args[k]);
            out += args[k].type_name() + "=" + text;
        }
        out += ")";
    }
    return out;
}

}  // namespace tarsier::report::tmpl
