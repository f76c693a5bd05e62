#pragma once
/// Display widths and truncation of text exactly as the docker CLI computes them.
///
/// Docker uses two different width rules, and both are reproduced here:
/// - its table writer (cli/command/formatter/tabwriter, a fork of Go's text/tabwriter)
///   measures each cell with go-runewidth's `StringWidth`: the string is split into
///   extended grapheme clusters (UAX #29, Unicode 15.0, as github.com/clipperhouse/uax29
///   v2 does it) and each cluster counts as the width of its first rune that has a
///   non-zero width (0, 1 or 2 columns). That is `display_width`.
/// - `formatter.Ellipsis` (cli/command/formatter/displayutils.go) counts runes, 2 columns
///   for East Asian Wide/Fullwidth ones (golang.org/x/text/width, Unicode 15.0) and 1 for
///   every other rune, combining marks included. That is what `ellipsis` uses.
/// Both follow a non-East-Asian locale: go-runewidth counts ambiguous-width characters as 2
/// only when LC_ALL/LC_CTYPE/LANG name a CJK locale (or RUNEWIDTH_EASTASIAN=1), which tarsier
/// does not emulate.

#include <string>
#include <string_view>

namespace tarsier::report {

/// go-runewidth `RuneWidth` in a non-East-Asian locale: 0 for control, format and most
/// combining characters, 2 for wide and fullwidth ones (CJK, most emoji), 1 otherwise.
/// Values outside 0..0x10FFFF are 0.
[[nodiscard]] int rune_width(char32_t r);

/// go-runewidth `StringWidth` (non-East-Asian): the number of terminal columns docker's
/// table writer reserves for `s`. Invalid UTF-8 bytes are handled as Go does (each stands
/// for U+FFFD, width 1).
[[nodiscard]] int display_width(std::string_view s);

/// One rune decoded the way Go's utf8.DecodeRuneInString does: an invalid or cut sequence
/// yields U+FFFD and consumes one byte.
struct DecodedRune {
    char32_t rune;
    std::size_t size;
};
[[nodiscard]] DecodedRune decode_rune(std::string_view s, std::size_t pos);
/// Appends the UTF-8 encoding of `r` (a valid scalar value).
void append_utf8(std::string& out, char32_t r);

/// docker's `formatter.Ellipsis`: `s` unchanged when it fits in `max_display_width`
/// columns, else the longest prefix of runes that fits in one column less, followed by
/// "…" (U+2026). Quirks kept on purpose: a width of 0 or less gives ""; a width of 1 gives
/// the first rune alone (even a wide one, and "" for an empty `s`, where docker panics);
/// when even the first rune is wider than `max_display_width - 1`, `s` comes back whole.
/// Invalid UTF-8 bytes in a shortened result become U+FFFD, as Go's []rune conversion does.
[[nodiscard]] std::string ellipsis(std::string_view s, int max_display_width);

}  // namespace tarsier::report
