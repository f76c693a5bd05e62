#pragma once
/// Docker-style `--format` templates: the subset of Go's text/template that Docker users
/// type (`{{.Repository}}:{{.Tag}}`, `table {{.ID}}\t{{.Size}}`, `{{json .Config}}`,
/// `{{range}}`, `{{if}}`, `{{index}}`, `{{printf}}`, ...), with Docker's functions (json,
/// join, split, title, lower, upper, pad, truncate) and Go's builtins (and, or, not, len,
/// index, print, printf, println, eq, ne, lt, le, gt, ge).
///
/// A template is parsed once into a tree and executed against JSON values (the rows a
/// command prints with --format json). Hostile templates are bounded: nesting depth,
/// evaluation steps and output size have limits, and each failure is an error.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "util/result.hpp"

namespace tarsier::report {

namespace tmpl {
struct Program;
}

/// How the text the user typed becomes a template.
enum class TemplateDialect {
    /// docker's formatter (image ls, history): a leading "table" prints a header row and
    /// aligns the columns; "\t" and "\n" typed as two characters become a tab and a newline;
    /// spaces around the template are trimmed.
    formatter,
    /// `docker inspect -f`: the text is the template, as it is.
    inspect,
};

/// Bounds on one template's execution over all its rows.
struct TemplateLimits {
    std::size_t max_depth = 100;                ///< nesting of blocks and parentheses
    std::size_t max_output = 64u << 20;         ///< bytes written
    std::uint64_t max_steps = 20'000'000;       ///< nodes and commands evaluated
};

/// A parsed template. Copies share the parsed tree.
class Template {
public:
    /// Parses `text` (a --format value). Errors are `usage` errors with `where` = "column N"
    /// (or "line L, column N" past the first line) counted in characters of `text`, and
    /// Go's message ("function \"foo\" not defined").
    static util::Result<Template> parse(std::string_view text, TemplateDialect dialect, TemplateLimits limits = {});

    /// Whether the format started with "table" (a header row and aligned columns).
    [[nodiscard]] bool table() const { return m_table; }
    /// The limits it was parsed with.
    [[nodiscard]] const TemplateLimits& limits() const;

    /// Appends the template executed with `dot` as "." and "$" to `out`. A field that the
    /// object `dot` lacks is an error naming `row_type` when `strict` (docker's typed rows:
    /// `can't evaluate field Foo in type image`), and "<no value>" otherwise (docker's maps).
    /// Fields of nested objects always follow the map rule. `header`: run with docker's
    /// header functions (json, join, ... return their argument) to make a table's header.
    util::Result<void> execute(std::string& out, const rapidjson::Value& dot, bool strict = false,
                               std::string_view row_type = {}, bool header = false) const;

private:
    std::shared_ptr<const tmpl::Program> m_program;
    bool m_table = false;
};

/// One row type's template context: the header text of each field (docker's
/// FullHeader(), e.g. {"ID", "IMAGE ID"}), and the type named in "can't evaluate field" errors.
struct TemplateFields {
    std::vector<std::pair<std::string, std::string>> headers;
    std::string row_type;
    bool strict = true;
};

/// docker's formatter over rows: each row executed and ended by "\n"; for a table format,
/// first the header row (the template run over `fields.headers`; an error there only ends
/// the header, as in docker), and all of it aligned by docker's tabwriter (report/table).
util::Result<std::string> render_template_rows(const Template& t, const std::vector<const rapidjson::Value*>& rows,
                                               const TemplateFields& fields);

/// Parses JSON text that tarsier rendered for templates to run over: one value, or with
/// `lines` one value per line (docker's --format json rows), read as an array of them.
util::Result<std::shared_ptr<rapidjson::Document>> template_json(std::string_view json, bool lines = false);
/// The values of a JSON array (nullptr elements when `array` is not one).
std::vector<const rapidjson::Value*> template_items(const rapidjson::Value& array);

}  // namespace tarsier::report
