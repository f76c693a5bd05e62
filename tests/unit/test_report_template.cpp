// The --format template engine (report/template.hpp): Go's text/template rules as its
// documentation states them (pkg.go.dev/text/template), docker's formatter around it.
#include <boost/test/unit_test.hpp>

#include <string>

#include "report/template.hpp"

using namespace tarsier::report;
using tarsier::util::ErrorKind;

namespace {

const char* kRow = R"({"ID":"abc","Tags":["a","b"],"Labels":{"z":"1","a":"2 <&>"},"N":3,"F":1000000.0,
  "Small":0.00001,"Mid":123456.0,"Null":null,"Yes":true,"Nested":{"Deep":{"X":"x"}},"Empty":""})";

/// The template's output over kRow, or "ERROR <where>: <what>".
std::string exec(const std::string& text, TemplateDialect dialect = TemplateDialect::inspect, bool strict = false,
                 TemplateLimits limits = {}) {
    auto t = Template::parse(text, dialect, limits);
    if (!t) return "ERROR " + t.error().where + ": " + t.error().what;
    auto doc = template_json(kRow);
    BOOST_REQUIRE(doc);
    std::string out;
    auto r = t->execute(out, **doc, strict, "row");
    if (!r) return "ERROR " + r.error().where + ": " + r.error().what;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report_template)

BOOST_AUTO_TEST_CASE(fields_and_go_printing) {
    BOOST_TEST(exec("{{.ID}} {{.Nested.Deep.X}} {{.N}} {{.Yes}}") == "abc x 3 true");
    BOOST_TEST(exec("{{.Tags}} {{.Labels}}") == "[a b] map[a:2 <&> z:1]");  // Go sorts map keys
    BOOST_TEST(exec("{{.F}} {{.Small}} {{.Mid}}") == "1e+06 1e-05 123456");  // %v of float64
    BOOST_TEST(exec("{{.Null}}") == "<nil>");
    // Values never drive the terminal; backslashes, tabs and newlines stay (SECURITY.md).
    BOOST_TEST(exec("{{\"a\\x1b[2J\\\\\\t\\n\\xff\"}}\x01") == "a\\x1b[2J\\\t\n\\xff\x01");
    BOOST_TEST(exec("{{.Missing}} {{.Labels.missing}}") == "<no value> <no value>");
    BOOST_TEST(exec("{{.Missing.X}}") == "ERROR column 3: nil pointer evaluating interface {}.X");
    BOOST_TEST(exec("{{.ID.X}}") == "ERROR column 3: can't evaluate field X in type string");
    BOOST_TEST(exec("{{.Missing}}", TemplateDialect::inspect, true) == "ERROR column 3: can't evaluate field Missing in type row");
}

BOOST_AUTO_TEST_CASE(docker_functions) {
    BOOST_TEST(exec("{{json .Labels}}") == R"({"z":"1","a":"2 <&>"})");  // no HTML escaping
    BOOST_TEST(exec("{{json .ID}} {{json .N}} {{json .Missing}}") == R"("abc" 3 null)");
    BOOST_TEST(exec(R"({{join .Tags ", "}})") == "a, b");
    BOOST_TEST(exec(R"({{join .Labels ","}})") == "ERROR column 3: wrong type for value; expected []string; got map[string]interface {}");
    BOOST_TEST(exec(R"({{split "a:b::c" ":"}} {{len (split "héé" "")}})") == "[a b  c] 3");
    BOOST_TEST(exec(R"({{title "hello wide-world"}} {{upper "aBc"}} {{lower "AbC"}})") == "Hello Wide-World ABC abc");
    BOOST_TEST(exec(R"([{{pad "x" 1 2}}][{{pad .Empty 1 2}}][{{truncate "abc" 2}}])") == "[ x  ][][ab]");
}

BOOST_AUTO_TEST_CASE(control_structures) {
    BOOST_TEST(exec("{{range .Tags}}<{{.}}>{{end}}") == "<a><b>");
    BOOST_TEST(exec("{{range $i, $t := .Tags}}{{$i}}={{$t}},{{$.ID}};{{end}}") == "0=a,abc;1=b,abc;");
    BOOST_TEST(exec("{{range $k, $v := .Labels}}{{$k}}{{end}}") == "az");
    BOOST_TEST(exec("{{range .Empty}}x{{else}}none{{end}}") == "ERROR column 3: range can't iterate over ");
    BOOST_TEST(exec("{{range .Missing}}x{{else}}none{{end}}") == "none");
    BOOST_TEST(exec("{{if .Empty}}a{{else if .N}}b{{else}}c{{end}}") == "b");
    BOOST_TEST(exec("{{with .Nested.Deep}}{{.X}}{{else}}no{{end}} {{with .Empty}}x{{else}}no{{end}}") == "x no");
    BOOST_TEST(exec("{{if and .Yes (eq .N 3) (ne .ID \"x\") (lt 1 2) (ge 2.5 2.5)}}ok{{end}}") == "ok");
    BOOST_TEST(exec("{{or .Empty .Missing .ID}} {{and .ID .Empty 1}}|{{not .Tags}}") == "abc |false");
    BOOST_TEST(exec("{{eq .N 3.0}}") == "ERROR column 3: error calling eq: incompatible types for comparison");
    BOOST_TEST(exec("{{eq .Missing \"x\"}} {{eq .ID \"x\" \"abc\"}}") == "false true");
    BOOST_TEST(exec("{{index .Tags 1}} {{index .Nested \"Deep\" \"X\"}} {{index .Labels \"none\"}}|") == "b x |");
    BOOST_TEST(exec("{{index .Tags 5}}") == "ERROR column 3: error calling index: index out of range: 5");
    BOOST_TEST(exec("{{.ID | printf \"%s-%s\" \"x\"}}") == "x-abc");
    BOOST_TEST(exec("{{$x := 1}}{{if .Yes}}{{$x = 2}}{{end}}{{$x}}") == "2");
    BOOST_TEST(exec("a {{- /* note */ -}} b\n{{- .ID}}") == "ababc");
    BOOST_TEST(exec("{{`raw\\n`}}{{\"\\u00e9\\t\"}}{{'a'}}{{0x10}}") == "raw\\né\t9716");
}

BOOST_AUTO_TEST_CASE(parse_errors_name_the_column) {
    BOOST_TEST(exec("ab{{foo}}") == "ERROR column 5: function \"foo\" not defined");
    BOOST_TEST(exec("x\n  {{.ID") == "ERROR line 2, column 3: unclosed action");
    BOOST_TEST(exec("{{.ID}{{end}}") == "ERROR column 6: unrecognized character in action: U+007D '}'");
    BOOST_TEST(exec("{{else}}") == "ERROR column 1: unexpected {{else}}");
    BOOST_TEST(exec("{{range .Tags}}{{else}}{{else}}{{end}}") == "ERROR column 24: expected end; found {{else}}");
    BOOST_TEST(exec("{{template \"x\"}}") == "ERROR column 3: {{template}} is not supported");
    BOOST_TEST(exec("{{.ID 1}}") == "ERROR column 3: ID is not a method but has arguments");
    BOOST_TEST(exec("{{ }}") == "ERROR column 1: missing value for command");
    BOOST_TEST(exec("{{(1}}") == "ERROR column 3: unclosed left paren");
    // Docker's formatter: columns count in what the user typed, before "table" and \t go.
    BOOST_TEST(exec("table {{.ID}}\\t{{bar}}", TemplateDialect::formatter) == "ERROR column 18: function \"bar\" not defined");
}

BOOST_AUTO_TEST_CASE(limits) {
    TemplateLimits small;
    small.max_steps = 1000;
    small.max_output = 100;
    small.max_depth = 3;
    auto e = Template::parse("{{range 10000}}{{end}}", TemplateDialect::inspect, small);
    BOOST_REQUIRE(e);
    auto doc = template_json("{}");
    std::string out;
    auto r = e->execute(out, **doc);
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error().kind == ErrorKind::usage));
    BOOST_TEST(r.error().what == "evaluation took more than 1000 steps");
    BOOST_TEST(exec("{{range 1000}}xxxxxxxxxxxx{{end}}", TemplateDialect::inspect, false, small) ==
               "ERROR column 15: output larger than 100 bytes");
    BOOST_TEST(exec("{{if 1}}{{if 1}}{{if 1}}{{if 1}}{{end}}{{end}}{{end}}{{end}}", TemplateDialect::inspect, false, small) ==
               "ERROR column 25: nesting deeper than 3 levels");
    BOOST_TEST(exec("{{printf \"%1000001d\" 1}}") == "%!(BADWIDTH)1");
}

BOOST_AUTO_TEST_CASE(table_rows_and_headers) {
    auto t = Template::parse("table {{.ID}}\\t{{json .Tags}}\\t{{pad .ID 1 1}}", TemplateDialect::formatter);
    BOOST_REQUIRE(t);
    BOOST_TEST(t->table());
    auto doc = template_json("{\"ID\":\"a\",\"Tags\":[\"x\"]}\n{\"ID\":\"bbbbbbbbbbbb\",\"Tags\":[]}\n", true);
    BOOST_REQUIRE(doc);
    TemplateFields fields{{{"ID", "IMAGE ID"}, {"Tags", "TAGS"}}, "row", true};
    auto out = render_template_rows(*t, template_items(**doc), fields);
    BOOST_REQUIRE(out);
    // Header functions return their argument (json), pad is not one of them.
    BOOST_TEST(*out == "IMAGE ID       TAGS       IMAGE ID \n"
                       "a              [\"x\"]      a \n"
                       "bbbbbbbbbbbb   []         bbbbbbbbbbbb \n");
    auto plain = Template::parse("  {{.ID}}:\\n  ", TemplateDialect::formatter);
    BOOST_REQUIRE(plain);
    BOOST_TEST(!plain->table());
    BOOST_TEST(*render_template_rows(*plain, template_items(**doc), fields) == "a:\n\nbbbbbbbbbbbb:\n\n");
}

BOOST_AUTO_TEST_SUITE_END()
