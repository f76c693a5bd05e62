#include "util/path.hpp"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace tarsier::util {

namespace {

/// Whether the element of `path` starting at `at` (a '.') is "." or "..".
bool dot_element(std::string_view path, std::size_t at) {
    auto end = at + 1;
    if (end < path.size() && path[end] == '.') ++end;
    return end == path.size() || path[end] == '/';
}

/// Whether `path` is already clean and relative: not empty, no leading or trailing '/',
/// no empty, "." or ".." element. Most entry names in layers are, and every name of
/// every layer (and every path of a package database) comes through here: an element
/// can only be wrong where it starts (a '/' or a '.' after a '/'), and SSE2 finds those
/// 16 bytes at a time.
bool clean_relative(std::string_view path) {
    const std::size_t n = path.size();
    if (n == 0 || path.front() == '/' || path.back() == '/') return false;
    const char* p = path.data();
    if (p[0] == '.' && dot_element(path, 0)) return false;
    std::size_t i = 1;
#ifdef __SSE2__
    const __m128i slash = _mm_set1_epi8('/');
    const __m128i dot = _mm_set1_epi8('.');
    for (; i + 16 <= n; i += 16) {
        const __m128i cur = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const __m128i prev = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i - 1));
        const auto after_slash = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(prev, slash)));
        const auto special = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(cur, slash), _mm_cmpeq_epi8(cur, dot))));
        for (unsigned hits = after_slash & special; hits != 0; hits &= hits - 1) {
            const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(hits));
            if (p[at] == '/' || dot_element(path, at)) return false;
        }
    }
#endif
    for (; i < n; ++i) {
        if (p[i - 1] == '/' && (p[i] == '/' || (p[i] == '.' && dot_element(path, i)))) return false;
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
