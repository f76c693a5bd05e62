#pragma once
/// Small string helpers shared by every module.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tarsier::util {

/// Splits `s` at every `sep`.
std::vector<std::string> split(std::string_view s, char sep);
/// Removes leading and trailing ASCII white space.
std::string_view trim(std::string_view s);
/// Makes a name safe to print: bytes that are not printable UTF-8 (control characters,
/// escape sequences, invalid UTF-8) become `\xNN`, and a backslash becomes `\\`, so two
/// different names never print the same.
std::string escape_for_display(std::string_view s);
/// Whether `s` is valid UTF-8.
bool is_valid_utf8(std::string_view s);

}  // namespace tarsier::util
