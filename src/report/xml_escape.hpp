#pragma once
/// Text for XML reports (JUnit): control characters escaped for display first, then the
/// five XML special characters as entities.

#include <string>
#include <string_view>

namespace tarsier::report {

/// `s` as XML character data or attribute value; no control character survives.
std::string xml_escape(std::string_view s);
/// xml_escape of each line, the newlines kept.
std::string xml_escape_lines(std::string_view s);

}  // namespace tarsier::report
