#include "report/json_writer.hpp"

#include <cctype>

#include "util/strings.hpp"

namespace tarsier::report {


std::string go_escape(std::string_view json, bool escape_html) {
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
        if (!escape_html && (c == '<' || c == '>' || c == '&')) out += c;
        else if (c == '<') out += "\\u003c";
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
