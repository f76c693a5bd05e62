// Executing a parsed template over JSON values: Go's text/template evaluation rules
// (fields, variables, pipelines, if/range/with), Docker's functions and Go's builtins.
#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "oci/json.hpp"
#include "report/table.hpp"
#include "report/template_ast.hpp"
#include "report/template_value.hpp"
#include "util/strings.hpp"

namespace tarsier::report {

using tmpl::Command;
using tmpl::Node;
using tmpl::Operand;
using tmpl::Pipeline;
using tmpl::Program;
using tmpl::TemplateFailure;
using tmpl::Value;
using tmpl::fail_at;

namespace tmpl {

namespace {
constexpr const char* kFunctions[] = {"json",  "join", "split", "title", "lower", "upper", "pad",     "truncate",
                                      "print", "printf", "println", "index", "len", "not", "and",  "or",
                                      "eq",    "ne",   "lt",    "le",    "gt",    "ge"};
}  // namespace

bool is_function(const std::string& name) {
    return std::find_if(std::begin(kFunctions), std::end(kFunctions), [&](const char* f) { return name == f; }) !=
           std::end(kFunctions);
}

}  // namespace tmpl

namespace {

/// Docker's header functions: these return their (string) argument unchanged.
bool header_identity(const std::string& name) {
    return name == "json" || name == "split" || name == "join" || name == "title" || name == "lower" || name == "upper" ||
           name == "truncate";
}

std::string ascii_case(std::string s, bool upper) {
    for (auto& c : s) {
        if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

/// strings.Title for ASCII: the first letter after a separator (not a letter, digit, '_'
/// or '\'') in upper case.
std::string title(std::string s) {
    bool prev_sep = true;
    for (auto& c : s) {
        auto u = static_cast<unsigned char>(c);
        bool word = std::isalnum(u) || c == '_' || c == '\'' || u >= 0x80;
        if (prev_sep && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        prev_sep = !word;
    }
    return s;
}

class Executor {
public:
    Executor(const Program& p, std::string& out, bool header, std::string_view row_type)
        : m_prog(p), m_out(out), m_header(header), m_row_type(row_type) {}

    void run(const Value& dot) {
        m_vars.emplace_back("$", dot);
        walk(m_prog.nodes, dot);
    }

private:
    void step(std::size_t pos) {
        if (++m_steps > m_prog.limits.max_steps)
            throw TemplateFailure{pos, fmt::format("evaluation took more than {} steps", m_prog.limits.max_steps)};
    }

    void write(std::string_view s, std::size_t pos) {
        if (m_out.size() + s.size() > m_prog.limits.max_output)
            throw TemplateFailure{pos, fmt::format("output larger than {} bytes", m_prog.limits.max_output)};
        m_out.append(s);
    }

    void walk(const std::vector<Node>& nodes, const Value& dot) {
        for (const auto& n : nodes) {
            step(n.pos);
            switch (n.kind) {
                case Node::Kind::text: write(n.text, n.pos); break;
                case Node::Kind::action: {
                    Value v = eval_pipeline(*n.pipe, dot);
                    if (!n.pipe->vars.empty()) break;  // a declaration prints nothing
                    std::string text;
                    tmpl::print_value(text, v);
                    // Values come from the archive: nothing in them may drive the terminal.
                    write(util::escape_for_display(text, util::DisplayEscape::controls), n.pos);
                    break;
                }
                case Node::Kind::if_:
                case Node::Kind::with: {
                    std::size_t mark = m_vars.size();
                    Value v = eval_pipeline(*n.pipe, dot);
                    bool yes = tmpl::truth(v);
                    if (n.kind == Node::Kind::if_) walk(yes ? n.list : n.else_list, dot);
                    else if (yes) walk(n.list, v);
                    else walk(n.else_list, dot);
                    m_vars.resize(mark);
                    break;
                }
                case Node::Kind::range: range(n, dot); break;
            }
        }
    }

    void range(const Node& n, const Value& dot) {
        std::size_t mark = m_vars.size();
        const Pipeline& p = *n.pipe;
        Value v = eval_pipeline_value(p, dot);
        auto body = [&](const Value& key, const Value& elem) {
            step(n.pos);
            std::size_t inner = m_vars.size();
            if (p.vars.size() == 1) bind(p.vars[0], elem, p.declare);
            if (p.vars.size() == 2) {
                bind(p.vars[0], key, p.declare);
                bind(p.vars[1], elem, p.declare);
            }
            walk(n.list, elem);
            m_vars.resize(inner);
        };
        std::size_t count = 0;
        if (v.is_array()) {
            count = v.size();
            for (std::size_t i = 0; i < count; ++i) body(Value::of_int(static_cast<std::int64_t>(i)), v.at(i));
        } else if (v.is_object()) {
            std::map<std::string_view, const rapidjson::Value*> sorted;
            for (auto it = v.node->MemberBegin(); it != v.node->MemberEnd(); ++it)
                sorted[std::string_view(it->name.GetString(), it->name.GetStringLength())] = &it->value;
            count = sorted.size();
            for (const auto& [k, e] : sorted) body(Value::of_string(std::string(k)), Value::of_json(*e));
        } else if (v.kind == Value::Kind::integer) {
            if (p.vars.size() > 1) fail_at(n.pos, "can't use " + std::to_string(v.integer) + " to iterate over more than one variable");
            count = v.integer > 0 ? static_cast<std::size_t>(v.integer) : 0;
            for (std::int64_t i = 0; i < v.integer; ++i) body(Value::of_int(i), Value::of_int(i));
        } else if (v.kind != Value::Kind::none && v.kind != Value::Kind::nil) {
            std::string text;
            tmpl::print_value(text, v);
            fail_at(n.pos, "range can't iterate over " + text);
        }
        if (count == 0) walk(n.else_list, dot);
        m_vars.resize(mark);
    }

    void bind(const std::string& name, const Value& v, bool declare) {
        if (declare) {
            m_vars.emplace_back(name, v);
            return;
        }
        for (auto it = m_vars.rbegin(); it != m_vars.rend(); ++it)
            if (it->first == name) {
                it->second = v;
                return;
            }
    }

    /// A pipeline's value without binding its variables (range binds per element).
    Value eval_pipeline_value(const Pipeline& p, const Value& dot) {
        Value v;
        bool have = false;
        for (const auto& c : p.cmds) {
            v = eval_command(c, dot, have ? &v : nullptr);
            have = true;
        }
        return v;
    }

    Value eval_pipeline(const Pipeline& p, const Value& dot) {
        Value v = eval_pipeline_value(p, dot);
        for (const auto& name : p.vars) bind(name, v, p.declare);
        return v;
    }

    Value eval_command(const Command& c, const Value& dot, const Value* final) {
        step(c.pos);
        const Operand& first = c.args.front();
        if (first.kind == Operand::Kind::function) return call(first, c, dot, final);
        if (c.args.size() > 1 || final) {
            if (first.kind == Operand::Kind::field) fail_at(first.pos, first.fields.back() + " is not a method but has arguments");
            fail_at(first.pos, "can't give argument to non-function " + describe(first));
        }
        return eval_operand(first, dot);
    }

    static std::string describe(const Operand& o) {
        switch (o.kind) {
            case Operand::Kind::string: return "\"" + o.text + "\"";
            case Operand::Kind::integer: return std::to_string(o.integer);
            case Operand::Kind::boolean: return o.boolean ? "true" : "false";
            case Operand::Kind::nil: return "nil";
            case Operand::Kind::dot: return ".";
            case Operand::Kind::variable: return o.name;
            default: return "operand";
        }
    }

    Value eval_operand(const Operand& o, const Value& dot) {
        switch (o.kind) {
            case Operand::Kind::dot: return dot;
            case Operand::Kind::field: return fields(dot, o);
            case Operand::Kind::variable: {
                for (auto it = m_vars.rbegin(); it != m_vars.rend(); ++it)
                    if (it->first == o.name) return fields(it->second, o);
                fail_at(o.pos, "undefined variable: " + o.name);
            }
            case Operand::Kind::chain: return fields(eval_pipeline(*o.pipe, dot), o);
            case Operand::Kind::function: {
                Command c;
                c.pos = o.pos;
                c.args.push_back(o);
                return call(o, c, dot, nullptr);
            }
            case Operand::Kind::string: return Value::of_string(o.text);
            case Operand::Kind::integer: return Value::of_int(o.integer);
            case Operand::Kind::floating: {
                Value v;
                v.kind = Value::Kind::floating;
                v.floating = o.floating;
                return v;
            }
            case Operand::Kind::boolean: return Value::of_bool(o.boolean);
            case Operand::Kind::nil: {
                Value v;
                v.kind = Value::Kind::nil;
                return v;
            }
        }
        return {};
    }

    Value fields(Value v, const Operand& o) {
        for (const auto& name : o.fields) {
            if (v.is_object()) {
                const rapidjson::Value* m = oci::member(*v.node, name);
                if (m) {
                    v = Value::of_json(*m);
                    continue;
                }
                if (v.strict) fail_at(o.pos, "can't evaluate field " + name + " in type " + std::string(m_row_type));
                v = Value{};
                continue;
            }
            if (v.kind == Value::Kind::none || v.kind == Value::Kind::nil)
                fail_at(o.pos, "nil pointer evaluating interface {}." + name);
            fail_at(o.pos, "can't evaluate field " + name + " in type " + v.type_name());
        }
        return v;
    }

    // --- functions ---

    static void arity(const std::string& name, std::size_t want, std::size_t got, std::size_t pos, bool at_least = false) {
        if (at_least ? got < want : got != want)
            fail_at(pos, fmt::format("wrong number of args for {}: want {}{} got {}", name, at_least ? "at least " : "", want, got));
    }

    static const std::string& want_string(const Value& v, std::size_t pos) {
        if (v.kind == Value::Kind::none) fail_at(pos, "invalid value; expected string");
        if (v.kind != Value::Kind::string) fail_at(pos, "wrong type for value; expected string; got " + v.type_name());
        return v.string;
    }

    static std::int64_t want_int(const Value& v, std::size_t pos) {
        if (v.kind == Value::Kind::none) fail_at(pos, "invalid value; expected int");
        if (v.kind != Value::Kind::integer) fail_at(pos, "wrong type for value; expected int; got " + v.type_name());
        return v.integer;
    }

    static std::vector<std::string> want_strings(const Value& v, std::size_t pos) {
        std::vector<std::string> out;
        bool ok = v.is_array();
        for (std::size_t i = 0; ok && i < v.size(); ++i) {
            Value e = v.at(i);
            ok = e.kind == Value::Kind::string;
            if (ok) out.push_back(e.string);
        }
        if (!ok) fail_at(pos, "wrong type for value; expected []string; got " + v.type_name());
        return out;
    }

    Value call(const Operand& fn, const Command& c, const Value& dot, const Value* final) {
        const std::string& name = fn.name;
        std::size_t pos = fn.pos;
        if (name == "and" || name == "or") {
            // Go 1.18: evaluation stops at the first false (and) or true (or) argument.
            std::size_t n = c.args.size() - 1 + (final ? 1 : 0);
            arity(name, 1, n, pos, true);
            Value v;
            for (std::size_t i = 1; i <= n; ++i) {
                v = i < c.args.size() ? eval_operand(c.args[i], dot) : *final;
                if (tmpl::truth(v) != (name == "and")) break;
            }
            return v;
        }
        std::vector<Value> a;
        for (std::size_t i = 1; i < c.args.size(); ++i) a.push_back(eval_operand(c.args[i], dot));
        if (final) a.push_back(*final);
        if (m_header && header_identity(name)) {
            arity(name, name == "split" || name == "join" || name == "truncate" ? 2 : 1, a.size(), pos);
            return Value::of_string(want_string(a[0], pos));
        }
        if (name == "json") {
            arity(name, 1, a.size(), pos);
            return Value::of_string(tmpl::json_of(a[0]));
        }
        if (name == "join") {
            arity(name, 2, a.size(), pos);
            std::vector<std::string> items = want_strings(a[0], pos);
            const std::string& sep = want_string(a[1], pos);
            std::string out;
            for (std::size_t i = 0; i < items.size(); ++i) out += (i > 0 ? sep : "") + items[i];
            return Value::of_string(std::move(out));
        }
        if (name == "split") return split(a, pos);
        if (name == "title" || name == "lower" || name == "upper") {
            arity(name, 1, a.size(), pos);
            const std::string& s = want_string(a[0], pos);
            return Value::of_string(name == "title" ? title(s) : ascii_case(s, name == "upper"));
        }
        if (name == "pad") {
            arity(name, 3, a.size(), pos);
            const std::string& s = want_string(a[0], pos);
            std::int64_t before = want_int(a[1], pos), after = want_int(a[2], pos);
            if (before < 0 || after < 0) fail_at(pos, "error calling pad: strings: negative Repeat count");
            if (static_cast<std::uint64_t>(before) + static_cast<std::uint64_t>(after) > m_prog.limits.max_output)
                throw TemplateFailure{pos, fmt::format("output larger than {} bytes", m_prog.limits.max_output)};
            if (s.empty()) return a[0];
            return Value::of_string(std::string(static_cast<std::size_t>(before), ' ') + s +
                                    std::string(static_cast<std::size_t>(after), ' '));
        }
        if (name == "truncate") {
            arity(name, 2, a.size(), pos);
            const std::string& s = want_string(a[0], pos);
            std::int64_t n = want_int(a[1], pos);
            if (n < 0) fail_at(pos, fmt::format("error calling truncate: runtime error: slice bounds out of range [:{}]", n));
            if (static_cast<std::uint64_t>(n) >= s.size()) return a[0];
            return Value::of_string(s.substr(0, static_cast<std::size_t>(n)));
        }
        if (name == "print") return Value::of_string(tmpl::go_sprint(a));
        if (name == "println") return Value::of_string(tmpl::go_sprintln(a));
        if (name == "printf") {
            arity(name, 1, a.size(), pos, true);
            std::string f = want_string(a[0], pos);
            a.erase(a.begin());
            return Value::of_string(tmpl::go_sprintf(f, a));
        }
        if (name == "len") {
            arity(name, 1, a.size(), pos);
            if (a[0].kind == Value::Kind::string) return Value::of_int(static_cast<std::int64_t>(a[0].string.size()));
            if (a[0].is_array() || a[0].is_object()) return Value::of_int(static_cast<std::int64_t>(a[0].size()));
            fail_at(pos, "error calling len: len of " + (a[0].kind == Value::Kind::none ? std::string("nil pointer") : "type " + a[0].type_name()));
        }
        if (name == "index") return index(a, pos);
        if (name == "not") {
            arity(name, 1, a.size(), pos);
            return Value::of_bool(!tmpl::truth(a[0]));
        }
        return compare(name, a, pos);
    }

    static Value split(const std::vector<Value>& a, std::size_t pos) {
        arity("split", 2, a.size(), pos);
        const std::string& s = want_string(a[0], pos);
        const std::string& sep = want_string(a[1], pos);
        auto items = std::make_shared<std::vector<Value>>();
        if (sep.empty()) {
            // Go splits into UTF-8 sequences.
            for (std::size_t i = 0; i < s.size();) {
                std::size_t n = 1;
                while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80 && n < 4) ++n;
                items->push_back(Value::of_string(s.substr(i, n)));
                i += n;
            }
        } else {
            std::size_t start = 0;
            while (true) {
                std::size_t at = s.find(sep, start);
                items->push_back(Value::of_string(s.substr(start, at == std::string::npos ? std::string::npos : at - start)));
                if (at == std::string::npos) break;
                start = at + sep.size();
            }
        }
        Value v;
        v.kind = Value::Kind::list;
        v.list = std::move(items);
        return v;
    }

    static Value index(const std::vector<Value>& a, std::size_t pos) {
        arity("index", 1, a.size(), pos, true);
        Value v = a[0];
        for (std::size_t k = 1; k < a.size(); ++k) {
            const Value& key = a[k];
            if (v.is_array()) {
                if (key.kind != Value::Kind::integer)
                    fail_at(pos, "error calling index: cannot index slice/array with type " + key.type_name());
                if (key.integer < 0 || static_cast<std::size_t>(key.integer) >= v.size())
                    fail_at(pos, fmt::format("error calling index: index out of range: {}", key.integer));
                v = v.at(static_cast<std::size_t>(key.integer));
            } else if (v.is_object()) {
                if (key.kind != Value::Kind::string)
                    fail_at(pos, "error calling index: value has type " + key.type_name() + "; should be string");
                const rapidjson::Value* m = oci::member(*v.node, key.string);
                if (m) {
                    v = Value::of_json(*m);
                    continue;
                }
                // A missing key gives the map's zero value: "" for a map of strings (Labels,
                // annotations: map[string]string in docker's types), no value otherwise.
                bool strings = v.node->MemberCount() > 0;
                for (auto it = v.node->MemberBegin(); strings && it != v.node->MemberEnd(); ++it) strings = it->value.IsString();
                v = strings ? Value::of_string("") : Value{};
            } else if (v.kind == Value::Kind::none || v.kind == Value::Kind::nil) {
                fail_at(pos, "error calling index: index of untyped nil");
            } else {
                fail_at(pos, "error calling index: can't index item of type " + v.type_name());
            }
        }
        return v;
    }

    /// eq, ne, lt, le, gt, ge on basic values.
    static Value compare(const std::string& name, const std::vector<Value>& a, std::size_t pos) {
        using K = Value::Kind;
        if (name == "eq") arity(name, 2, a.size(), pos, true);
        else arity(name, 2, a.size(), pos);
        auto basic = [](const Value& v) { return v.kind != K::json && v.kind != K::list; };
        auto absent = [](const Value& v) { return v.kind == K::none || v.kind == K::nil; };
        // -1, 0, 1; or throws for values that do not compare.
        auto order = [&](const Value& x, const Value& y) -> int {
            if (!basic(x) || !basic(y)) fail_at(pos, "error calling " + name + ": non-comparable types");
            if (x.kind != y.kind) fail_at(pos, "error calling " + name + ": incompatible types for comparison");
            switch (x.kind) {
                case K::integer: return x.integer < y.integer ? -1 : x.integer > y.integer ? 1 : 0;
                case K::floating: return x.floating < y.floating ? -1 : x.floating > y.floating ? 1 : 0;
                case K::string: return x.string < y.string ? -1 : x.string > y.string ? 1 : 0;
                case K::boolean:
                    if (name != "eq" && name != "ne") fail_at(pos, "error calling " + name + ": invalid type for comparison");
                    return x.boolean == y.boolean ? 0 : 1;
                default: fail_at(pos, "error calling " + name + ": invalid type for comparison");
            }
        };
        auto equal = [&](const Value& x, const Value& y) {
            if (absent(x) || absent(y)) return absent(x) && absent(y);
            return order(x, y) == 0;
        };
        if (name == "eq") {
            for (std::size_t i = 1; i < a.size(); ++i)
                if (equal(a[0], a[i])) return Value::of_bool(true);
            return Value::of_bool(false);
        }
        if (name == "ne") return Value::of_bool(!equal(a[0], a[1]));
        int o = order(a[0], a[1]);
        if (name == "lt") return Value::of_bool(o < 0);
        if (name == "le") return Value::of_bool(o <= 0);
        if (name == "gt") return Value::of_bool(o > 0);
        return Value::of_bool(o >= 0);
    }

    const Program& m_prog;
    std::string& m_out;
    bool m_header;
    std::string_view m_row_type;
    std::uint64_t m_steps = 0;
    std::vector<std::pair<std::string, Value>> m_vars;
};

}  // namespace

util::Result<void> Template::execute(std::string& out, const rapidjson::Value& dot, bool strict, std::string_view row_type,
                                     bool header) const {
    Value root = Value::of_json(dot);
    root.strict = strict;
    try {
        Executor(*m_program, out, header, row_type).run(root);
    } catch (const TemplateFailure& f) {
        // A template past a limit is still the user's request that cannot be met: usage.
        return util::fail(util::ErrorKind::usage, m_program->where(f.pos), f.message);
    }
    return {};
}

const TemplateLimits& Template::limits() const { return m_program->limits; }

namespace {

/// An upper bound of the aligned table's size: each cell padded to at most the widest
/// cell plus the padding. A template can print one wide cell and many narrow ones, which
/// alignment would multiply.
std::uint64_t aligned_bound(std::string_view text) {
    std::uint64_t cells = 1, widest = 0, current = 0;
    for (char c : text) {
        if (c == '\t' || c == '\n' || c == '\v' || c == '\f') {
            ++cells;
            widest = std::max(widest, current);
            current = 0;
        } else {
            ++current;
        }
    }
    widest = std::max(widest, current);
    return cells * (std::max<std::uint64_t>(widest, 7) + 3 + 1);
}

}  // namespace

util::Result<std::string> render_template_rows(const Template& t, const std::vector<const rapidjson::Value*>& rows,
                                               const TemplateFields& fields) {
    std::string body;
    for (const rapidjson::Value* row : rows) {
        if (!row) continue;
        auto r = t.execute(body, *row, fields.strict, fields.row_type);
        if (!r) return r.failure();
        body += '\n';
    }
    if (!t.table()) return body;
    rapidjson::Document headers;
    headers.SetObject();
    for (const auto& [field, text] : fields.headers)
        headers.AddMember(rapidjson::Value(field.c_str(), headers.GetAllocator()),
                          rapidjson::Value(text.c_str(), headers.GetAllocator()), headers.GetAllocator());
    std::string head;
    (void)t.execute(head, headers, false, {}, true);  // docker ignores a header error: the header ends there
    const std::size_t max = t.limits().max_output;
    if (aligned_bound(head) + aligned_bound(body) > max)
        return util::fail(util::ErrorKind::usage, "table",
                          fmt::format("aligned output could be larger than {} bytes", max));
    Table table;
    table.write(head);
    table.write("\n");
    table.write(body);
    return table.render();
}

util::Result<std::shared_ptr<rapidjson::Document>> template_json(std::string_view json, bool lines) {
    std::string text;
    if (lines) {
        text = "[";
        for (std::size_t start = 0; start < json.size();) {
            std::size_t end = json.find('\n', start);
            if (end == std::string_view::npos) end = json.size();
            if (end > start) text += std::string(text.size() > 1 ? "," : "") + std::string(json.substr(start, end - start));
            start = end + 1;
        }
        text += "]";
        json = text;
    }
    auto parsed = oci::parse_json(json, "--format");
    if (!parsed) return parsed.failure();
    return std::make_shared<rapidjson::Document>(std::move((*parsed)->doc));
}

std::vector<const rapidjson::Value*> template_items(const rapidjson::Value& array) {
    std::vector<const rapidjson::Value*> out;
    if (!array.IsArray()) return out;
    for (const auto& v : array.GetArray()) out.push_back(&v);
    return out;
}

}  // namespace tarsier::report
