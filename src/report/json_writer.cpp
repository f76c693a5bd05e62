#include "report/json_writer.hpp"

#include <cctype>

#include "util/strings.hpp"

namespace tarsier::report {


std::string go_escape(std::string_view json, bool escape_html) {
    std::string out;
    out.reserve(json.size());
    bool in_string = false;
    // Bytes that need a look inside a string: the rest is copied as it is, a run at a time.
    auto plain = [escape_html](unsigned char c) {
        return c < 0x80 && c != '"' && c != '\\' && (!escape_html || (c != '<' && c != '>' && c != '&'));
    };
    for (std::size_t i = 0; i < json.size();) {
        std::size_t run = i;
        if (!in_string) {
            while (run < json.size() && json[run] != '"') ++run;
        } else {
            while (run < json.size() && plain(static_cast<unsigned char>(json[run]))) ++run;
        }
        out.append(json.substr(i, run - i));
        i = run;
        if (i == json.size()) break;
        char c = json[i];
        if (c == '"') {
            in_string = !in_string;
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
            std::size_t n = util::utf8_sequence_length(json, i);
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
