#pragma once
/// --format values that are Go templates (tarsier-format(7)): telling them from the named
/// formats, and parsing them before any work is done.

#include <optional>
#include <string>

#include "report/template.hpp"
#include "util/result.hpp"

namespace tarsier::cli {

/// Whether a --format value is a template ("{{" in it) rather than a named format.
bool is_template_format(const std::string& format);

/// The template a --format value holds, or nullopt for a named format. A template that
/// does not parse is a usage error in file "--format" at "column N".
util::Result<std::optional<report::Template>> format_template(const std::string& format, report::TemplateDialect dialect);

}  // namespace tarsier::cli
