// Go's text/template lexer inside an action: fields, variables, identifiers, constants
// (strings with Go's escapes, raw strings, characters, numbers) and punctuation.
#include "report/template_lex.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

#include "report/template_ast.hpp"
#include "report/width.hpp"
#include "util/strings.hpp"

namespace tarsier::report::tmpl {

namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Go's %#U of the rune at s[i]: U+0040 '@' (no character for a control).
std::string quote_char(std::string_view s, std::size_t i) {
    DecodedRune d = decode_rune(s, i);
    auto cp = static_cast<unsigned>(d.rune);
    if (cp < 0x20 || cp == 0x7F) return fmt::format("U+{:04X}", cp);
    std::string ch;
    append_utf8(ch, d.rune);
    return fmt::format("U+{:04X} '{}'", cp, ch);
}

/// Appends a code point from an escape; what is no Unicode scalar value becomes U+FFFD.
void append_scalar(std::string& out, unsigned cp) {
    append_utf8(out, cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? char32_t{0xFFFD} : char32_t{cp});
}

/// Go's lexer over one action: from just after "{{" to its "}}".
class ActionLexer {
public:
    ActionLexer(std::string_view src, std::size_t pos) : m_s(src), m_i(pos) {}

    /// Lexes up to the closing delimiter; returns the offset just after it.
    std::size_t run(std::size_t open, std::vector<Token>& out, bool& trim_right) {
        bool space = false;
        while (true) {
            if (m_i >= m_s.size()) fail_at(open, "unclosed action");
            char c = m_s[m_i];
            if (m_s.compare(m_i, 2, "}}") == 0) {
                trim_right = false;
                return m_i + 2;
            }
            if (is_space(c)) {
                if (m_s.compare(m_i + 1, 3, "-}}") == 0) {
                    trim_right = true;
                    return m_i + 4;
                }
                if (c == '\n' || c == '\r') {
                    // Go allows newlines inside actions since 1.16.
                }
                space = true;
                ++m_i;
                continue;
            }
            Token t{Tok::dot, m_i, {}, space};
            space = false;
            lex_one(c, t);
            out.push_back(std::move(t));
        }
    }

private:
    void lex_one(char c, Token& t) {
        switch (c) {
            case '|': t.type = Tok::pipe; ++m_i; return;
            case '(': t.type = Tok::lparen; ++m_i; return;
            case ')': t.type = Tok::rparen; ++m_i; return;
            case ',': t.type = Tok::comma; ++m_i; return;
            case '=': t.type = Tok::assign; ++m_i; return;
            case ':':
                if (m_s.compare(m_i, 2, ":=") != 0) fail_at(m_i, "expected :=");
                t.type = Tok::declare;
                m_i += 2;
                return;
            case '"': lex_quoted(t); return;
            case '`': lex_raw(t); return;
            case '\'': lex_char(t); return;
            case '$':
                t.type = Tok::variable;
                t.value = "$";
                ++m_i;
                while (m_i < m_s.size() && is_alnum(m_s[m_i])) t.value += m_s[m_i++];
                return;
            case '.':
                if (m_i + 1 < m_s.size() && is_digit(m_s[m_i + 1])) {
                    lex_number(t);
                    return;
                }
                ++m_i;
                if (m_i < m_s.size() && is_alnum(m_s[m_i])) {
                    t.type = Tok::field;
                    while (m_i < m_s.size() && is_alnum(m_s[m_i])) t.value += m_s[m_i++];
                } else {
                    t.type = Tok::dot;
                }
                return;
            default: break;
        }
        if (is_digit(c) || ((c == '-' || c == '+') && m_i + 1 < m_s.size() && (is_digit(m_s[m_i + 1]) || m_s[m_i + 1] == '.'))) {
            lex_number(t);
            return;
        }
        if (is_alnum(c)) {
            t.type = Tok::ident;
            while (m_i < m_s.size() && is_alnum(m_s[m_i])) t.value += m_s[m_i++];
            return;
        }
        fail_at(m_i, "unrecognized character in action: " + quote_char(m_s, m_i));
    }

    void lex_number(Token& t) {
        std::size_t start = m_i;
        if (m_s[m_i] == '+' || m_s[m_i] == '-') ++m_i;
        while (m_i < m_s.size()) {
            char c = m_s[m_i];
            bool exp_sign = (c == '+' || c == '-') && m_i > start && std::string_view("eEpP").find(m_s[m_i - 1]) != std::string_view::npos &&
                            !(m_s.compare(start, 2, "0x") == 0 && (m_s[m_i - 1] == 'e' || m_s[m_i - 1] == 'E'));
            if (is_alnum(c) || c == '.' || exp_sign) ++m_i;
            else break;
        }
        std::string text(m_s.substr(start, m_i - start));
        std::string digits;
        for (char c : text)
            if (c != '_') digits += c;
        bool negative = !digits.empty() && digits[0] == '-';
        std::string_view body(digits);
        if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
        int base = 10;
        if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) base = 16;
        else if (body.size() > 2 && body[0] == '0' && (body[1] == 'o' || body[1] == 'O')) base = 8;
        else if (body.size() > 2 && body[0] == '0' && (body[1] == 'b' || body[1] == 'B')) base = 2;
        if (base != 10) body.remove_prefix(2);
        bool is_float = base == 10 && body.find_first_of(".eE") != std::string_view::npos;
        if (!is_float) {
            std::uint64_t u = 0;
            auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), u, base);
            if (ec != std::errc() || p != body.data() + body.size() || body.empty()) fail_at(start, "bad number syntax: \"" + text + "\"");
            if (u > static_cast<std::uint64_t>(INT64_MAX) + (negative ? 1 : 0)) fail_at(start, "number out of range: " + text);
            t.type = Tok::integer;
            t.integer = negative ? static_cast<std::int64_t>(0 - u) : static_cast<std::int64_t>(u);
            return;
        }
        char* end = nullptr;
        std::string s(digits);
        double v = std::strtod(s.c_str(), &end);
        if (end != s.c_str() + s.size()) fail_at(start, "bad number syntax: \"" + text + "\"");
        t.type = Tok::floating;
        t.floating = v;
    }

    unsigned hex_digits(std::size_t n, std::size_t at) {
        unsigned v = 0;
        for (std::size_t k = 0; k < n; ++k) {
            if (m_i >= m_s.size() || !std::isxdigit(static_cast<unsigned char>(m_s[m_i]))) fail_at(at, "invalid syntax in quoted string");
            char c = m_s[m_i++];
            v = v * 16 + static_cast<unsigned>(is_digit(c) ? c - '0' : (std::tolower(static_cast<unsigned char>(c)) - 'a' + 10));
        }
        return v;
    }

    /// One escape after a backslash (Go's strconv.UnquoteChar).
    void escape(std::string& out, std::size_t at, char quote) {
        char c = m_s[m_i++];
        switch (c) {
            case 'a': out += '\a'; return;
            case 'b': out += '\b'; return;
            case 'f': out += '\f'; return;
            case 'n': out += '\n'; return;
            case 'r': out += '\r'; return;
            case 't': out += '\t'; return;
            case 'v': out += '\v'; return;
            case '\\': out += '\\'; return;
            case 'x': out += static_cast<char>(hex_digits(2, at)); return;
            case 'u': append_scalar(out, hex_digits(4, at)); return;
            case 'U': append_scalar(out, hex_digits(8, at)); return;
            default: break;
        }
        if (c == quote) {
            out += c;
            return;
        }
        if (c >= '0' && c <= '7') {
            unsigned v = static_cast<unsigned>(c - '0');
            for (int k = 0; k < 2; ++k) {
                if (m_i >= m_s.size() || m_s[m_i] < '0' || m_s[m_i] > '7') fail_at(at, "invalid syntax in quoted string");
                v = v * 8 + static_cast<unsigned>(m_s[m_i++] - '0');
            }
            if (v > 255) fail_at(at, "invalid syntax in quoted string");
            out += static_cast<char>(v);
            return;
        }
        fail_at(at, "invalid syntax in quoted string");
    }

    void lex_quoted(Token& t) {
        std::size_t start = m_i++;
        t.type = Tok::string;
        while (true) {
            if (m_i >= m_s.size() || m_s[m_i] == '\n') fail_at(start, "unterminated quoted string");
            char c = m_s[m_i++];
            if (c == '"') return;
            if (c == '\\') {
                if (m_i >= m_s.size() || m_s[m_i] == '\n') fail_at(start, "unterminated quoted string");
                escape(t.value, start, '"');
            } else {
                t.value += c;
            }
        }
    }

    void lex_raw(Token& t) {
        std::size_t start = m_i++;
        t.type = Tok::string;
        std::size_t end = m_s.find('`', m_i);
        if (end == std::string_view::npos) fail_at(start, "unterminated raw quoted string");
        for (char c : m_s.substr(m_i, end - m_i))
            if (c != '\r') t.value += c;
        m_i = end + 1;
    }

    void lex_char(Token& t) {
        std::size_t start = m_i++;
        std::string v;
        if (m_i < m_s.size() && m_s[m_i] == '\\') {
            ++m_i;
            if (m_i >= m_s.size()) fail_at(start, "unterminated character constant");
            escape(v, start, '\'');
        } else {
            std::size_t n = util::utf8_sequence_length(m_s, m_i);
            if (n == 0 || m_s[m_i] == '\'' || m_s[m_i] == '\n') fail_at(start, "unterminated character constant");
            v = std::string(m_s.substr(m_i, n));
            m_i += n;
        }
        if (m_i >= m_s.size() || m_s[m_i] != '\'') fail_at(start, "unterminated character constant");
        ++m_i;
        auto cp = static_cast<std::int64_t>(decode_rune(v, 0).rune);
        t.type = Tok::integer;
        t.integer = cp;
    }

    std::string_view m_s;
    std::size_t m_i;
};

}  // namespace

std::size_t lex_action(std::string_view src, std::size_t open, std::size_t inner, std::vector<Token>& out, bool& trim_right) {
    return ActionLexer(src, inner).run(open, out, trim_right);
}

}  // namespace tarsier::report::tmpl
