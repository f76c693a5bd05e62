// os-release(5): KEY=value lines, values quoted as in a shell ("...", '...', or bare with
// backslash escapes), '#' comments and blank lines ignored, the last line may lack '\n'.
#include "pkg/inventory.hpp"
#include "pkg/text_db.hpp"

namespace tarsier::pkg {

namespace {

bool is_key(std::string_view key) {
    if (key.empty()) return false;
    for (char c : key) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return true;
}

/// The value of a shell assignment's right-hand side: quotes removed, escapes undone; it
/// ends at unquoted white space (anything after it, like a comment, is ignored). An
/// unterminated quote runs to the end of the line.
std::string unquote(std::string_view v) {
    std::string out;
    std::size_t i = 0;
    while (i < v.size()) {
        const char c = v[i];
        if (c == ' ' || c == '\t' || c == '\r') break;
        if (c == '\'') {
            const auto end = v.find('\'', i + 1);
            const auto stop = end == std::string_view::npos ? v.size() : end;
            out.append(v.substr(i + 1, stop - i - 1));
            i = stop + 1;
        } else if (c == '"') {
            ++i;
            while (i < v.size() && v[i] != '"') {
                // Inside double quotes a backslash escapes only $ ` " \ (and newline).
                if (v[i] == '\\' && i + 1 < v.size() &&
                    (v[i + 1] == '$' || v[i + 1] == '`' || v[i + 1] == '"' || v[i + 1] == '\\')) {
                    ++i;
                }
                out += v[i++];
            }
            ++i;  // the closing quote
        } else if (c == '\\') {
            if (i + 1 < v.size()) out += v[i + 1];
            i += 2;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

}  // namespace

OsRelease parse_os_release(std::string_view bytes, std::string_view file) {
    OsRelease os;
    os.file = std::string(file);
    detail::Lines lines(bytes);
    std::string_view line;
    while (lines.next(line)) {
        // Leading white space is allowed before a key, as a shell reads it.
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
        if (line.empty() || line.front() == '#') continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        const auto key = line.substr(0, eq);
        if (!is_key(key)) continue;
        std::string* field = nullptr;
        if (key == "ID") field = &os.id;
        else if (key == "VERSION_ID") field = &os.version_id;
        else if (key == "VERSION_CODENAME") field = &os.version_codename;
        else if (key == "PRETTY_NAME") field = &os.pretty_name;
        else if (key == "ID_LIKE") field = &os.id_like;
        if (field) *field = unquote(line.substr(eq + 1));
    }
    return os;
}

}  // namespace tarsier::pkg
