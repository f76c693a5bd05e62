// apk-tools' version order (Gentoo-style versions): digits{.digits}[letter]{_suffix[N]}[-rN].
// The rules, as apk-tools 2.x implements them in src/version.c (alpinelinux/apk-tools,
// GPL-2.0, commit 010497cb5ae50713f0ed4e4c4bf3b860bf751da7) and test/version.data checks:
//  - a version is read as tokens, each of a kind; two versions are compared token by token,
//    by value, while their kinds agree;
//  - digit runs compare as numbers, except that a run after '.' that starts with zeros
//    counts the zeros first (as minus their number), so "1.05" < "1.5" and "1.0" > "1";
//  - one lowercase letter may follow digits ("1.2a" > "1.2");
//  - suffixes: _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p, each
//    with an optional number;
//  - -rN is the package revision;
//  - when one version runs out first, the longer one is greater, unless what it has more
//    of is a pre-release suffix (_alpha, _beta, _pre, _rc).
// This is a fresh implementation of those rules (no code copied).
#include <cstdint>

#include "pkg/version.hpp"

namespace tarsier::pkg {

namespace {

// The kinds, in the order apk compares them when two versions differ in kind.
enum Kind : int { invalid = -1, digit_or_zero = 0, digit, letter, suffix, suffix_number, revision, end };

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

struct Cursor {
    std::string_view rest;
    Kind kind = digit;
};

/// Looks at what follows a token and sets the kind of the next one, consuming a separator
/// ('.', '_', "-r"). A kind that may not follow the previous one makes the version invalid.
void next_kind(Cursor& c) {
    Kind n = invalid;
    const Kind previous = c.kind;
    if (c.rest.empty() || c.rest.front() == '\0') {
        n = end;
    } else if ((previous == digit || previous == digit_or_zero) && is_lower(c.rest.front())) {
        n = letter;
    } else if (previous == letter && is_digit(c.rest.front())) {
        n = digit;
    } else if (previous == suffix && is_digit(c.rest.front())) {
        n = suffix_number;
    } else {
        const char sep = c.rest.front();
        if (sep == '.') n = digit_or_zero;
        else if (sep == '_') n = suffix;
        else if (sep == '-' && c.rest.size() > 1 && c.rest[1] == 'r') {
            n = revision;
            c.rest.remove_prefix(1);
        }
        c.rest.remove_prefix(1);
    }
    const bool allowed_back = (n == digit_or_zero && previous == digit) || (n == suffix && previous == suffix_number) ||
                              (n == digit && previous == letter);
    if (n < previous && !allowed_back) n = invalid;
    c.kind = n;
}

/// The value of the token of kind c.kind at the front, then moves to the next token.
std::int64_t take(Cursor& c) {
    static constexpr std::string_view kPre[] = {"alpha", "beta", "pre", "rc"};
    static constexpr std::string_view kPost[] = {"cvs", "svn", "git", "hg", "p"};
    if (c.rest.empty()) {
        c.kind = end;
        return 0;
    }
    std::int64_t v = 0;
    std::size_t i = 0;
    Kind forced = invalid;
    switch (c.kind) {
    case digit_or_zero:
        if (c.rest.front() == '0') {
            while (i < c.rest.size() && c.rest[i] == '0') ++i;
            v = -static_cast<std::int64_t>(i);
            forced = digit;  // the digits after the zeros are the next token
            break;
        }
        [[fallthrough]];
    case digit:
    case suffix_number:
    case revision:
        while (i < c.rest.size() && is_digit(c.rest[i])) {
            v = v > (INT64_MAX - 9) / 10 ? INT64_MAX : v * 10 + (c.rest[i] - '0');
            ++i;
        }
        break;
    case letter: v = c.rest[i++]; break;
    case suffix: {
        bool found = false;
        for (std::size_t k = 0; k < std::size(kPre) && !found; ++k) {
            if (c.rest.substr(0, kPre[k].size()) == kPre[k]) {
                v = static_cast<std::int64_t>(k) - static_cast<std::int64_t>(std::size(kPre));
                i = kPre[k].size();
                found = true;
            }
        }
        for (std::size_t k = 0; k < std::size(kPost) && !found; ++k) {
            if (c.rest.substr(0, kPost[k].size()) == kPost[k]) {
                v = static_cast<std::int64_t>(k);
                i = kPost[k].size();
                found = true;
            }
        }
        if (found) break;
        c.kind = invalid;
        return -1;
    }
    default: c.kind = invalid; return -1;
    }
    c.rest.remove_prefix(i);
    if (c.rest.empty()) c.kind = end;
    else if (forced != invalid) c.kind = forced;
    else next_kind(c);
    return v;
}

}  // namespace

int compare_apk_versions(std::string_view a, std::string_view b) {
    Cursor x{a}, y{b};
    std::int64_t av = 0, bv = 0;
    while (x.kind == y.kind && x.kind != end && x.kind != invalid && av == bv) {
        av = take(x);
        bv = take(y);
    }
    if (av != bv) return av < bv ? -1 : 1;
    if (x.kind == y.kind) return 0;
    // One has more: it is greater, unless that is a pre-release suffix.
    if (x.kind == suffix) {
        Cursor t = x;
        if (take(t) < 0) return -1;
    }
    if (y.kind == suffix) {
        Cursor t = y;
        if (take(t) < 0) return 1;
    }
    if (x.kind > y.kind) return -1;
    if (y.kind > x.kind) return 1;
    return 0;
}

}  // namespace tarsier::pkg
