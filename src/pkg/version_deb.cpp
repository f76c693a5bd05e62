// dpkg's version order, as deb-version(7) specifies it and dpkg's lib/dpkg/version.c
// implements it: [epoch:]upstream[-revision]; the epoch is compared as a number, then
// upstream and revision each by alternating non-digit and digit runs.
#include <cstdint>

#include "pkg/version.hpp"

namespace tarsier::pkg {

namespace {

struct DebVersion {
    std::uint64_t epoch = 0;
    std::string_view upstream;
    std::string_view revision;
};

DebVersion split(std::string_view v) {
    DebVersion d;
    // The epoch ends at the first ':'; the revision starts after the last '-'.
    if (const auto colon = v.find(':'); colon != std::string_view::npos) {
        for (char c : v.substr(0, colon)) {
            if (c < '0' || c > '9') break;
            d.epoch = d.epoch > (UINT64_MAX - 9) / 10 ? UINT64_MAX : d.epoch * 10 + static_cast<unsigned>(c - '0');
        }
        v.remove_prefix(colon + 1);
    }
    if (const auto dash = v.rfind('-'); dash != std::string_view::npos) {
        d.revision = v.substr(dash + 1);
        v = v.substr(0, dash);
    }
    d.upstream = v;
    return d;
}

bool digit(char c) { return c >= '0' && c <= '9'; }
bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// The weight of a character in a non-digit run: '~' sorts first (before the end of the
/// string), then the end and digits, then letters, then everything else.
int weight(char c) {
    if (c == '\0' || digit(c)) return 0;
    if (letter(c)) return static_cast<unsigned char>(c);
    if (c == '~') return -1;
    return static_cast<unsigned char>(c) + 256;
}

char at(std::string_view s, std::size_t i) { return i < s.size() ? s[i] : '\0'; }

int verrevcmp(std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        while ((i < a.size() && !digit(a[i])) || (j < b.size() && !digit(b[j]))) {
            const int wa = weight(at(a, i)), wb = weight(at(b, j));
            if (wa != wb) return wa - wb;
            ++i;
            ++j;
        }
        while (at(a, i) == '0') ++i;
        while (at(b, j) == '0') ++j;
        int first_diff = 0;
        while (digit(at(a, i)) && digit(at(b, j))) {
            if (first_diff == 0) first_diff = at(a, i) - at(b, j);
            ++i;
            ++j;
        }
        if (digit(at(a, i))) return 1;
        if (digit(at(b, j))) return -1;
        if (first_diff != 0) return first_diff;
    }
    return 0;
}

}  // namespace

int compare_deb_versions(std::string_view a, std::string_view b) {
    const DebVersion x = split(a), y = split(b);
    if (x.epoch != y.epoch) return x.epoch < y.epoch ? -1 : 1;
    if (const int r = verrevcmp(x.upstream, y.upstream); r != 0) return r;
    return verrevcmp(x.revision, y.revision);
}

}  // namespace tarsier::pkg
