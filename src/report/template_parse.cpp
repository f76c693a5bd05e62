// Parsing a --format template: Docker's preprocessing ("table", "\t", "\n"), then Go's
// text/template lexer and parser for the subset tarsier executes.
#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "report/template_ast.hpp"
#include "report/template_lex.hpp"

namespace tarsier::report {

using tmpl::Command;
using tmpl::Node;
using tmpl::Operand;
using tmpl::Pipeline;
using tmpl::Program;
using tmpl::TemplateFailure;
using tmpl::Tok;
using tmpl::Token;
using tmpl::fail_at;
using tmpl::is_space;

namespace {

/// What ended a list of nodes.
struct ListEnd {
    enum class Stop { eof, end, else_ } stop = Stop::eof;
    std::size_t pos = 0;
    std::vector<Token> rest;  ///< after "else": "if ..." for an else-if chain
};

class Parser {
public:
    Parser(std::string_view src, Program& prog) : m_s(src), m_prog(prog) {}

    void run() {
        ListEnd e = parse_list(m_prog.nodes);
        if (e.stop == ListEnd::Stop::end) fail_at(e.pos, "unexpected {{end}}");
        if (e.stop == ListEnd::Stop::else_) fail_at(e.pos, "unexpected {{else}}");
    }

private:
    void add_text(std::vector<Node>& out, std::string_view text, std::size_t pos) {
        if (m_trim_next) {
            std::size_t k = 0;
            while (k < text.size() && is_space(text[k])) ++k;
            text.remove_prefix(k);
            pos += k;
            m_trim_next = false;
        }
        if (text.empty()) return;
        Node n;
        n.kind = Node::Kind::text;
        n.pos = pos;
        n.text = std::string(text);
        out.push_back(std::move(n));
    }

    ListEnd parse_list(std::vector<Node>& out) {
        while (true) {
            std::size_t open = m_s.find("{{", m_i);
            if (open == std::string_view::npos) {
                add_text(out, m_s.substr(m_i), m_i);
                m_i = m_s.size();
                return ListEnd{ListEnd::Stop::eof, m_s.size(), {}};
            }
            std::string_view text = m_s.substr(m_i, open - m_i);
            std::size_t inner = open + 2;
            bool trim_left = m_s.compare(inner, 1, "-") == 0 && inner + 1 < m_s.size() && is_space(m_s[inner + 1]);
            if (trim_left) {
                while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
                inner += 2;
            }
            add_text(out, text, m_i);
            // A comment: {{/* ... */}}, possibly with trim markers.
            std::size_t c = inner;
            if (m_s.compare(c, 2, "/*") == 0) {
                std::size_t close = m_s.find("*/", c + 2);
                if (close == std::string_view::npos) fail_at(open, "unclosed comment");
                std::size_t after = close + 2;
                if (m_s.compare(after, 2, "}}") == 0) {
                    m_i = after + 2;
                } else if (after < m_s.size() && is_space(m_s[after]) && m_s.compare(after + 1, 3, "-}}") == 0) {
                    m_i = after + 4;
                    m_trim_next = true;
                } else {
                    fail_at(open, "comment ends before closing delimiter");
                }
                continue;
            }
            std::vector<Token> toks;
            bool trim_right = false;
            m_i = tmpl::lex_action(m_s, open, inner, toks, trim_right);
            m_trim_next = trim_right;
            if (toks.empty()) fail_at(open, "missing value for command");
            const Token& first = toks.front();
            if (first.type == Tok::ident) {
                const std::string& k = first.value;
                if (k == "end") {
                    if (toks.size() > 1) fail_at(toks[1].pos, "unexpected " + describe(toks[1]) + " in end");
                    return ListEnd{ListEnd::Stop::end, open, {}};
                }
                if (k == "else") return ListEnd{ListEnd::Stop::else_, open, std::vector<Token>(toks.begin() + 1, toks.end())};
                if (k == "if" || k == "range" || k == "with") {
                    Node n;
                    parse_block(n, k, toks, 1, open);
                    out.push_back(std::move(n));
                    continue;
                }
                if (k == "define" || k == "template" || k == "block" || k == "break" || k == "continue")
                    fail_at(first.pos, "{{" + k + "}} is not supported");
            }
            Node n;
            n.kind = Node::Kind::action;
            n.pos = first.pos;
            n.pipe = parse_pipeline(toks, 0, toks.size(), "command", false);
            out.push_back(std::move(n));
        }
    }

    /// Parses `{{keyword pipeline}} list [{{else}} list] {{end}}` from the tokens after the
    /// keyword; an `{{else if ...}}` becomes an if node in the else list that takes the end.
    void parse_block(Node& n, const std::string& keyword, const std::vector<Token>& toks, std::size_t from, std::size_t open) {
        if (++m_depth > m_prog.limits.max_depth) fail_at(open, fmt::format("nesting deeper than {} levels", m_prog.limits.max_depth));
        n.kind = keyword == "if" ? Node::Kind::if_ : keyword == "range" ? Node::Kind::range : Node::Kind::with;
        n.pos = toks[from - 1].pos;
        std::size_t vars = m_vars.size();
        if (from >= toks.size()) fail_at(n.pos, "missing value for " + keyword);
        n.pipe = parse_pipeline(toks, from, toks.size(), keyword, keyword == "range");
        ListEnd e = parse_list(n.list);
        if (e.stop == ListEnd::Stop::eof) fail_at(open, "unexpected EOF: {{" + keyword + "}} has no {{end}}");
        if (e.stop == ListEnd::Stop::else_) {
            m_vars.resize(vars + (n.pipe->declare ? n.pipe->vars.size() : 0));
            if (!e.rest.empty()) {
                const Token& t = e.rest.front();
                if (t.type == Tok::ident && (t.value == "if" || t.value == "with") && keyword != "range") {
                    Node chained;
                    parse_block(chained, t.value, e.rest, 1, e.pos);
                    n.else_list.push_back(std::move(chained));
                    m_vars.resize(vars);
                    --m_depth;
                    return;
                }
                fail_at(t.pos, "unexpected " + describe(t) + " in else");
            }
            ListEnd e2 = parse_list(n.else_list);
            if (e2.stop == ListEnd::Stop::eof) fail_at(open, "unexpected EOF: {{" + keyword + "}} has no {{end}}");
            if (e2.stop == ListEnd::Stop::else_) fail_at(e2.pos, "expected end; found {{else}}");
        }
        m_vars.resize(vars);
        --m_depth;
    }

    static std::string describe(const Token& t) {
        switch (t.type) {
            case Tok::field: return "<." + t.value + ">";
            case Tok::dot: return "<.>";
            case Tok::variable: return "<" + t.value + ">";
            case Tok::ident: return "<" + t.value + ">";
            case Tok::string: return "quoted string";
            case Tok::integer:
            case Tok::floating:
            case Tok::character: return "number";
            case Tok::lparen: return "\"(\"";
            case Tok::rparen: return "\")\"";
            case Tok::pipe: return "\"|\"";
            case Tok::declare: return "\":=\"";
            case Tok::assign: return "\"=\"";
            case Tok::comma: return "\",\"";
        }
        return "token";
    }

    bool defined(const std::string& var) const {
        return var == "$" || std::find(m_vars.begin(), m_vars.end(), var) != m_vars.end();
    }

    std::shared_ptr<Pipeline> parse_pipeline(const std::vector<Token>& t, std::size_t b, std::size_t e, const std::string& context,
                                             bool range) {
        auto p = std::make_shared<Pipeline>();
        p->pos = b < e ? t[b].pos : (b > 0 ? t[b - 1].pos : 0);
        // Declarations: $x := / $x = / (range) $i, $v :=
        std::vector<std::string> declared;
        if (b + 1 < e && t[b].type == Tok::variable) {
            if (t[b + 1].type == Tok::declare || t[b + 1].type == Tok::assign) {
                p->vars.push_back(t[b].value);
                p->declare = t[b + 1].type == Tok::declare;
                b += 2;
            } else if (range && b + 3 < e && t[b + 1].type == Tok::comma && t[b + 2].type == Tok::variable &&
                       (t[b + 3].type == Tok::declare || t[b + 3].type == Tok::assign)) {
                p->vars = {t[b].value, t[b + 2].value};
                p->declare = t[b + 3].type == Tok::declare;
                b += 4;
            } else if (t[b + 1].type == Tok::comma) {
                fail_at(t[b + 1].pos, "too many declarations in " + context);
            }
            if (!p->declare)
                for (const auto& v : p->vars)
                    if (!defined(v)) fail_at(t[b - 2].pos, "undefined variable \"" + v + "\"");
            if (p->declare) declared = p->vars;
        }
        if (b >= e) fail_at(p->pos, "missing value for " + context);
        std::size_t start = b;
        int depth = 0;
        for (std::size_t k = b; k <= e; ++k) {
            if (k < e && t[k].type == Tok::lparen) ++depth;
            if (k < e && t[k].type == Tok::rparen) --depth;
            if (k == e || (t[k].type == Tok::pipe && depth == 0)) {
                if (k == start) fail_at(k < e ? t[k].pos : t[k - 1].pos, "missing value for command");
                p->cmds.push_back(parse_command(t, start, k));
                start = k + 1;
            }
        }
        for (const auto& v : declared) m_vars.push_back(v);
        return p;
    }

    Command parse_command(const std::vector<Token>& t, std::size_t b, std::size_t e) {
        Command c;
        c.pos = t[b].pos;
        std::size_t k = b;
        while (k < e) c.args.push_back(parse_operand(t, k, e));
        return c;
    }

    /// Field tokens written right after an operand (no space): `.A.B`, `$x.A`, `(...).A`.
    static void take_fields(const std::vector<Token>& t, std::size_t& k, std::size_t e, Operand& op) {
        while (k < e && t[k].type == Tok::field && !t[k].space_before) op.fields.push_back(t[k++].value);
    }

    Operand parse_operand(const std::vector<Token>& t, std::size_t& k, std::size_t e) {
        const Token& tok = t[k];
        Operand op;
        op.pos = tok.pos;
        ++k;
        switch (tok.type) {
            case Tok::field:
                op.kind = Operand::Kind::field;
                op.fields.push_back(tok.value);
                take_fields(t, k, e, op);
                return op;
            case Tok::dot:
                op.kind = Operand::Kind::dot;
                if (k < e && t[k].type == Tok::field && !t[k].space_before) fail_at(t[k].pos, "unexpected . after term \".\"");
                return op;
            case Tok::variable:
                if (!defined(tok.value)) fail_at(tok.pos, "undefined variable \"" + tok.value + "\"");
                op.kind = Operand::Kind::variable;
                op.name = tok.value;
                take_fields(t, k, e, op);
                return op;
            case Tok::string:
                op.kind = Operand::Kind::string;
                op.text = tok.value;
                return op;
            case Tok::integer:
            case Tok::character:
                op.kind = Operand::Kind::integer;
                op.integer = tok.integer;
                return op;
            case Tok::floating:
                op.kind = Operand::Kind::floating;
                op.floating = tok.floating;
                return op;
            case Tok::ident:
                if (tok.value == "true" || tok.value == "false") {
                    op.kind = Operand::Kind::boolean;
                    op.boolean = tok.value == "true";
                    return op;
                }
                if (tok.value == "nil") {
                    op.kind = Operand::Kind::nil;
                    return op;
                }
                if (!tmpl::is_function(tok.value)) fail_at(tok.pos, "function \"" + tok.value + "\" not defined");
                op.kind = Operand::Kind::function;
                op.name = tok.value;
                return op;
            case Tok::lparen: {
                if (++m_depth > m_prog.limits.max_depth)
                    fail_at(tok.pos, fmt::format("nesting deeper than {} levels", m_prog.limits.max_depth));
                std::size_t close = k;
                int depth = 1;
                for (; close < e; ++close) {
                    if (t[close].type == Tok::lparen) ++depth;
                    if (t[close].type == Tok::rparen && --depth == 0) break;
                }
                if (close >= e) fail_at(tok.pos, "unclosed left paren");
                op.kind = Operand::Kind::chain;
                op.pipe = parse_pipeline(t, k, close, "parenthesized pipeline", false);
                k = close + 1;
                take_fields(t, k, e, op);
                --m_depth;
                return op;
            }
            case Tok::rparen: fail_at(tok.pos, "unexpected right paren");
            default: break;
        }
        fail_at(tok.pos, "unexpected " + describe(tok) + " in operand");
    }

    std::string_view m_s;
    Program& m_prog;
    std::size_t m_i = 0;
    std::size_t m_depth = 0;
    bool m_trim_next = false;
    std::vector<std::string> m_vars;
};

}  // namespace

std::string Program::where(std::size_t pos) const {
    std::size_t at = origin.empty() ? 0 : pos < origin.size() ? origin[pos] : origin.back() + 1;
    at = std::min(at, user_text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
        char c = user_text[i];
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return line == 1 ? fmt::format("column {}", column) : fmt::format("line {}, column {}", line, column);
}

util::Result<Template> Template::parse(std::string_view text, TemplateDialect dialect, TemplateLimits limits) {
    auto prog = std::make_shared<Program>();
    prog->user_text = std::string(text);
    prog->limits = limits;
    Template t;
    // Docker's preFormat: "table" prefix, spaces trimmed, `\t` and `\n` replaced.
    std::size_t b = 0, e = text.size();
    if (dialect == TemplateDialect::formatter) {
        if (text.substr(0, 5) == "table") {
            t.m_table = true;
            b = 5;
        }
        while (b < e && text[b] == ' ') ++b;
        while (e > b && text[e - 1] == ' ') --e;
    }
    std::string src;
    for (std::size_t i = b; i < e; ++i) {
        if (dialect == TemplateDialect::formatter && text[i] == '\\' && i + 1 < e && (text[i + 1] == 't' || text[i + 1] == 'n')) {
            src += text[i + 1] == 't' ? '\t' : '\n';
            prog->origin.push_back(i);
            ++i;
            continue;
        }
        src += text[i];
        prog->origin.push_back(i);
    }
    prog->origin.push_back(e);
    try {
        Parser(src, *prog).run();
    } catch (const TemplateFailure& f) {
        return util::fail(util::ErrorKind::usage, prog->where(f.pos), f.message);
    }
    t.m_program = std::move(prog);
    return t;
}

}  // namespace tarsier::report
