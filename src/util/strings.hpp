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
/// What escape_for_display escapes: `all` as above; `controls` keeps backslashes, tabs and
/// newlines as they are (a --format template's values, whose layout the user chose, stay
/// what scripts expect) and escapes only what could drive a terminal or is no UTF-8.
enum class DisplayEscape { all, controls };
std::string escape_for_display(std::string_view s, DisplayEscape mode);
/// Length of the valid UTF-8 sequence starting at s[i], or 0 when the byte starts none
/// (overlong forms, surrogates and values past U+10FFFF are invalid). With `allow_c1`
/// false, the C1 controls U+0080..U+009F count as invalid too (they can drive terminals).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i, bool allow_c1 = true);
/// Whether `s` is valid UTF-8.
bool is_valid_utf8(std::string_view s);

}  // namespace tarsier::util
