#include "archive/entry.hpp"

#include <vector>

namespace tarsier::archive {

std::optional<std::string> normalize_name(std::string_view name) {
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
