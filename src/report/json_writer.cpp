#include "report/json_writer.hpp"

#include <cctype>

namespace tarsier::report {

namespace {

/// Length of a valid UTF-8 sequence at s[i] (as Go's utf8.DecodeRuneInString accepts it),
/// or 0 when the byte starts no valid sequence.
std::size_t utf8_length(std::string_view s, std::size_t i) {
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
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

}  // namespace

std::string go_escape(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    bool in_string = false;
    for (std::size_t i = 0; i < json.size();) {
        char c = json[i];
        if (!in_string) {
            if (c == '"') in_string = true;
            out += c;
            ++i;
            continue;
        }
        if (c == '"') {
            in_string = false;
            out += c;
            ++i;
            continue;
        }
        if (c == '\\' && i + 1 < json.size()) {
            // RapidJSON writes \u001F; Go writes \u001f.
            if (json[i + 1] == 'u' && i + 5 < json.size()) {
                out += "\\u";
                for (std::size_t k = i + 2; k < i + 6; ++k) out += static_cast<char>(std::tolower(static_cast<unsigned char>(json[k])));
                i += 6;
            } else {
                out.append(json.substr(i, 2));
                i += 2;
            }
            continue;
        }
        if (c == '<') out += "\\u003c";
        else if (c == '>') out += "\\u003e";
        else if (c == '&') out += "\\u0026";
        else {
            std::size_t n = utf8_length(json, i);
            if (n == 0) {
                out += "\\ufffd";  // Go replaces each invalid byte
                ++i;
                continue;
            }
            if (n == 3 && json[i] == '\xe2' && json[i + 1] == '\x80' && (json[i + 2] == '\xa8' || json[i + 2] == '\xa9')) {
                out += json[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
            } else {
                out.append(json.substr(i, n));
            }
            i += n;
            continue;
        }
        ++i;
    }
    return out;
}

}  // namespace tarsier::report
