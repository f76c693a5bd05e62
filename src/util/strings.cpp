#include "util/strings.hpp"

#include <cstdio>

namespace tarsier::util {

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t pos = s.find(sep, start);
        if (pos == std::string_view::npos) {
            out.emplace_back(s.substr(start));
            return out;
        }
        out.emplace_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

std::string_view trim(std::string_view s) {
    const char* ws = " \t\r\n";
    std::size_t b = s.find_first_not_of(ws);
    if (b == std::string_view::npos) return {};
    std::size_t e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

std::size_t utf8_sequence_length(std::string_view s, std::size_t i, bool allow_c1) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    if (!allow_c1 && cp >= 0x80 && cp <= 0x9F) return 0;
    return n;
}

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) { ++i; continue; }
        std::size_t n = utf8_sequence_length(s, i, false);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string escape_for_display(std::string_view s) { return escape_for_display(s, DisplayEscape::all); }

std::string escape_for_display(std::string_view s, DisplayEscape mode) {
    const bool layout = mode == DisplayEscape::controls;
    auto plain = [layout](unsigned char c) {
        return (c >= 0x20 && c < 0x7F && (c != '\\' || layout)) || (layout && (c == '\t' || c == '\n'));
    };
    std::string out;
    out.reserve(s.size());
    char buf[8];
    for (std::size_t i = 0; i < s.size();) {
        // A run of bytes that print as they are, copied at once.
        std::size_t run = i;
        while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) ++run;
        out.append(s.substr(i, run - i));
        if ((i = run) == s.size()) break;
        auto c = static_cast<unsigned char>(s[i]);
        if (c == '\\') { out += "\\\\"; ++i; continue; }
        std::size_t n = c >= 0x80 ? utf8_sequence_length(s, i, false) : 0;
        if (n > 1) {
            out.append(s.substr(i, n));
            i += n;
            continue;
        }
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
        ++i;
    }
    return out;
}

}  // namespace tarsier::util
