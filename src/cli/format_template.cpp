#include "cli/format_template.hpp"

namespace tarsier::cli {

bool is_template_format(const std::string& format) { return format.find("{{") != std::string::npos; }

util::Result<std::optional<report::Template>> format_template(const std::string& format, report::TemplateDialect dialect) {
    if (!is_template_format(format)) return std::optional<report::Template>{};
    auto t = report::Template::parse(format, dialect);
    if (!t) return util::fail(t.error().in_file("--format"));
    return std::optional<report::Template>(std::move(*t));
}

}  // namespace tarsier::cli
