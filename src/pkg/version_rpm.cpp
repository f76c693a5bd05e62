// rpm's version ordering, from the rules of rpm 4.18 (rpmio/rpmvercmp.c and the EVR split
// of lib/rpmver.c), restated over string_view: no copies, no allocation.
#include <string_view>

#include "pkg/version.hpp"

namespace tarsier::pkg {
namespace {

// rpm uses its own locale-free ASCII classes.
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

// rpm works on C strings: a NUL ends the version.
std::string_view up_to_nul(std::string_view s) { return s.substr(0, s.find('\0')); }

// rpmvercmp: segment by segment; separators only separate.
int vercmp(std::string_view a, std::string_view b) {
    if (a == b) return 0;
    std::size_t i = 0, j = 0;
    auto at = [](std::string_view s, std::size_t k) { return k < s.size() ? s[k] : '\0'; };
    while (i < a.size() || j < b.size()) {
        while (i < a.size() && !is_alnum(a[i]) && a[i] != '~' && a[i] != '^') ++i;
        while (j < b.size() && !is_alnum(b[j]) && b[j] != '~' && b[j] != '^') ++j;
        const char x = at(a, i), y = at(b, j);
        // A tilde sorts before everything, the end of the version included.
        if (x == '~' || y == '~') {
            if (x != '~') return 1;
            if (y != '~') return -1;
            ++i, ++j;
            continue;
        }
        // A caret sorts after the end of the version and before anything else.
        if (x == '^' || y == '^') {
            if (x == '\0') return -1;
            if (y == '\0') return 1;
            if (x != '^') return 1;
            if (y != '^') return -1;
            ++i, ++j;
            continue;
        }
        if (x == '\0' || y == '\0') break;

        const bool numeric = is_digit(x);
        auto in_segment = [numeric](char c) { return numeric ? is_digit(c) : is_alpha(c); };
        std::size_t ie = i, je = j;
        while (ie < a.size() && in_segment(a[ie])) ++ie;
        while (je < b.size() && in_segment(b[je])) ++je;
        std::string_view sa = a.substr(i, ie - i), sb = b.substr(j, je - j);
        // Segments of different kinds: a number is newer than letters.
        if (sb.empty()) return numeric ? 1 : -1;
        if (numeric) {
            while (!sa.empty() && sa.front() == '0') sa.remove_prefix(1);
            while (!sb.empty() && sb.front() == '0') sb.remove_prefix(1);
            if (sa.size() != sb.size()) return sa.size() > sb.size() ? 1 : -1;
        }
        if (const int c = sa.compare(sb); c != 0) return c < 0 ? -1 : 1;
        i = ie, j = je;
    }
    const bool a_done = i >= a.size(), b_done = j >= b.size();
    if (a_done && b_done) return 0;
    return a_done ? -1 : 1;
}

struct Evr {
    std::string_view epoch;  // "" when absent
    std::string_view version;
    std::string_view release;
    bool has_release = false;
};

// "[epoch:]version[-release]": the epoch is the leading digits before a ':', the release
// follows the last '-'.
Evr split(std::string_view s) {
    Evr e;
    std::size_t k = 0;
    while (k < s.size() && is_digit(s[k])) ++k;
    if (k < s.size() && s[k] == ':') {
        e.epoch = k == 0 ? std::string_view("0") : s.substr(0, k);
        s.remove_prefix(k + 1);
    }
    if (const auto dash = s.rfind('-'); dash != std::string_view::npos) {
        e.release = s.substr(dash + 1);
        e.has_release = true;
        s = s.substr(0, dash);
    }
    e.version = s;
    return e;
}

}  // namespace

int compare_rpm_versions(std::string_view a, std::string_view b) {
    const Evr x = split(up_to_nul(a)), y = split(up_to_nul(b));
    int rc = vercmp(x.epoch.empty() ? "0" : x.epoch, y.epoch.empty() ? "0" : y.epoch);
    if (rc == 0) rc = vercmp(x.version, y.version);
    if (rc != 0) return rc;
    if (x.has_release && y.has_release) return vercmp(x.release, y.release);
    // rpm 4.18 (its lua rpm.ver objects, which the tests ask) puts a version without a
    // release before the same version with any release, "-~1" and "-" included.
    return x.has_release == y.has_release ? 0 : (x.has_release ? 1 : -1);
}

}  // namespace tarsier::pkg
