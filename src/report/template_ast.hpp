#pragma once
/// The parsed form of a template (internal to report/template*.cpp): Go's text/template
/// parse tree, reduced to what tarsier executes.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "report/template.hpp"

namespace tarsier::report::tmpl {

struct Pipeline;

/// One word of a command: `.A.B`, `$x.A`, `(pipeline).A`, a function name or a constant.
struct Operand {
    enum class Kind { dot, field, variable, chain, function, string, integer, floating, boolean, nil };
    Kind kind = Kind::dot;
    std::size_t pos = 0;              ///< offset in the parsed text
    std::string name;                 ///< function name, or variable name with its '$'
    std::vector<std::string> fields;  ///< the field chain after it
    std::shared_ptr<Pipeline> pipe;   ///< chain: the parenthesised pipeline
    std::string text;                 ///< string constant
    std::int64_t integer = 0;
    double floating = 0;
    bool boolean = false;
};

/// Operands separated by spaces; the first is what is called or evaluated.
struct Command {
    std::size_t pos = 0;
    std::vector<Operand> args;
};

/// Commands joined by '|', each getting the previous result as its last argument;
/// optionally declaring (`$x :=`) or assigning (`$x =`) variables.
struct Pipeline {
    std::size_t pos = 0;
    std::vector<std::string> vars;
    bool declare = false;
    std::vector<Command> cmds;
};

/// A piece of the template: text, an action, or a block with its lists.
struct Node {
    enum class Kind { text, action, if_, range, with };
    Kind kind = Kind::text;
    std::size_t pos = 0;
    std::string text;
    std::shared_ptr<Pipeline> pipe;
    std::vector<Node> list;
    std::vector<Node> else_list;
};

/// A parsed template: its nodes, and how to turn offsets back into the user's columns.
struct Program {
    std::vector<Node> nodes;
    std::vector<std::size_t> origin;  ///< offset in the parsed text -> offset in the user's text
    std::string user_text;
    TemplateLimits limits;

    /// "column N" (or "line L, column N") of an offset of the parsed text.
    [[nodiscard]] std::string where(std::size_t pos) const;
};

/// The function names a template may call.
bool is_function(const std::string& name);

/// A template error at an offset of the parsed text (thrown inside report/template*.cpp
/// only, turned into util::Error at the public functions).
struct TemplateFailure {
    std::size_t pos;
    std::string message;
};

/// Throws a TemplateFailure.
[[noreturn]] inline void fail_at(std::size_t pos, std::string message) { throw TemplateFailure{pos, std::move(message)}; }

}  // namespace tarsier::report::tmpl
