#pragma once
/// Go's text/template lexer for one action (internal to report/template*.cpp): the tokens
/// between "{{" and "}}".

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tarsier::report::tmpl {

enum class Tok { field, dot, variable, ident, string, integer, floating, character, lparen, rparen, pipe, declare, assign, comma };

struct Token {
    Tok type;
    std::size_t pos;
    std::string value;   ///< name, or the string constant's value
    bool space_before = false;
    std::int64_t integer = 0;
    double floating = 0;
};

/// Go's white space inside an action.
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// Lexes the action whose "{{" is at `open` from `inner` (after "{{" and a trim marker) to
/// its "}}"; returns the offset just after that, and in `trim_right` whether it ended with
/// " -}}". Throws TemplateFailure (unclosed action, bad character, bad constant).
std::size_t lex_action(std::string_view src, std::size_t open, std::size_t inner, std::vector<Token>& out, bool& trim_right);

}  // namespace tarsier::report::tmpl
