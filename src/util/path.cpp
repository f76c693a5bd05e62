#include "util/path.hpp"

namespace tarsier::util {

namespace {

/// Whether `path` is already clean and relative: not empty, no leading or trailing '/',
/// no empty, "." or ".." element. Most entry names in layers are.
bool clean_relative(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.back() == '/') return false;
    std::size_t element = 0;
    for (std::size_t i = 0; i <= path.size(); ++i) {
        if (i == path.size() || path[i] == '/') {
            const std::size_t len = i - element;
            if (len == 0) return false;
            if (path[element] == '.' && (len == 1 || (len == 2 && path[element + 1] == '.'))) return false;
            element = i + 1;
        }
    }
    return true;
}

}  // namespace

std::string clean_path(std::string_view path) {
    if (path.empty()) return ".";
    const bool rooted = path.front() == '/';
    const std::size_t n = path.size();
    std::string out;
    out.reserve(n);
    // r reads `path`; `dotdot` is where out's ".." elements end (they cannot be removed).
    std::size_t r = 0, dotdot = 0;
    if (rooted) {
        out += '/';
        r = dotdot = 1;
    }
    while (r < n) {
        if (path[r] == '/') {
            ++r;
        } else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
            ++r;
        } else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
            r += 2;
            if (out.size() > dotdot) {
                // Back up to the last separator, dropping it too.
                std::size_t w = out.size() - 1;
                while (w > dotdot && out[w] != '/') --w;
                out.resize(w);
            } else if (!rooted) {
                if (!out.empty()) out += '/';
                out += "..";
                dotdot = out.size();
            }
        } else {
            if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out += '/';
            for (; r < n && path[r] != '/'; ++r) out += path[r];
        }
    }
    if (out.empty()) return ".";
    return out;
}

std::optional<std::string_view> clean_path_in_root_view(std::string_view path) {
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    if (clean_relative(path)) return path;
    return std::nullopt;
}

std::optional<std::string> clean_path_in_root(std::string_view path) {
    if (auto clean = clean_path_in_root_view(path)) return std::string(*clean);
    // Leading '/' are ignored: "/../x" climbs as "../x" does.
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    std::string out = clean_path(path);
    if (out == ".") return std::string();
    if (out == ".." || out.starts_with("../")) return std::nullopt;
    return out;
}

std::string clean_path_clamped(std::string_view path) {
    if (clean_relative(path)) return std::string(path);
    std::string rooted;
    rooted.reserve(path.size() + 1);
    rooted += '/';
    rooted += path;
    std::string out = clean_path(rooted);
    out.erase(0, 1);  // the '/' clean_path keeps
    return out;
}

}  // namespace tarsier::util
