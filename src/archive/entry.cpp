#include "archive/entry.hpp"

#include <vector>

namespace tarsier::archive {

namespace {

/// Whether `name` is already normal: no leading "/", no empty, "." or ".." segment and no
/// trailing "/". Most names in layers are; they skip the general path below.
bool already_normal(std::string_view name) {
    if (name.empty() || name.front() == '/' || name.back() == '/') return false;
    std::size_t seg = 0;
    for (std::size_t i = 0; i <= name.size(); ++i) {
        if (i == name.size() || name[i] == '/') {
            std::size_t len = i - seg;
            if (len == 0) return false;
            if (name[seg] == '.' && (len == 1 || (len == 2 && name[seg + 1] == '.'))) return false;
            seg = i + 1;
        }
    }
    return true;
}

}  // namespace

std::optional<std::string> normalize_name(std::string_view name) {
    if (already_normal(name)) return std::string(name);
    std::vector<std::string_view> parts;
    std::size_t i = 0;
    while (i <= name.size()) {
        std::size_t j = name.find('/', i);
        if (j == std::string_view::npos) j = name.size();
        std::string_view seg = name.substr(i, j - i);
        if (seg.empty() || seg == ".") {
            // skip
        } else if (seg == "..") {
            if (parts.empty()) return std::nullopt;
            parts.pop_back();
        } else {
            parts.push_back(seg);
        }
        i = j + 1;
    }
    std::string out;
    for (std::string_view p : parts) {
        if (!out.empty()) out += '/';
        out += p;
    }
    return out;
}

}  // namespace tarsier::archive
