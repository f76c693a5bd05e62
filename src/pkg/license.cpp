#include "pkg/license.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace tarsier::pkg {

namespace {

constexpr std::string_view kIds[] = {
#include "pkg/spdx_ids.inc"
};

bool id_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

/// A recursive-descent check of the SPDX expression grammar:
///   expr := and ("OR" and)* ; and := term ("AND" term)* ;
///   term := "(" expr ")" | simple ("WITH" exception)? ; simple := id "+"? | LicenseRef-...
class Parser {
public:
    explicit Parser(std::vector<std::string> tokens) : m_t(std::move(tokens)) {}
    bool parse() { return expr(0) && m_i == m_t.size(); }
    [[nodiscard]] bool compound() const { return m_compound; }

private:
    static constexpr int kMaxDepth = 64;
    std::vector<std::string> m_t;
    std::size_t m_i = 0;
    bool m_compound = false;

    bool at(std::string_view s) const { return m_i < m_t.size() && m_t[m_i] == s; }
    bool expr(int depth) {
        if (depth > kMaxDepth || !conj(depth)) return false;
        while (at("OR")) {
            ++m_i;
            m_compound = true;
            if (!conj(depth)) return false;
        }
        return true;
    }
    bool conj(int depth) {
        if (!term(depth)) return false;
        while (at("AND")) {
            ++m_i;
            m_compound = true;
            if (!term(depth)) return false;
        }
        return true;
    }
    bool term(int depth) {
        if (at("(")) {
            ++m_i;
            m_compound = true;
            if (!expr(depth + 1) || !at(")")) return false;
            ++m_i;
            return true;
        }
        if (!simple()) return false;
        if (at("WITH")) {
            ++m_i;
            m_compound = true;
            if (m_i >= m_t.size() || !is_spdx_id(m_t[m_i])) return false;
            ++m_i;
        }
        return true;
    }
    bool simple() {
        if (m_i >= m_t.size()) return false;
        std::string_view t = m_t[m_i];
        if (t.starts_with("LicenseRef-") || t.starts_with("DocumentRef-")) {
            m_compound = true;  // not a listed identifier: only an expression may hold it
            ++m_i;
            return t.size() > 11 && std::all_of(t.begin(), t.end(), [](char c) { return id_char(c) || c == ':'; });
        }
        if (t.ends_with("+")) {
            m_compound = true;
            t.remove_suffix(1);
        }
        if (!is_spdx_id(t)) return false;
        ++m_i;
        return true;
    }
};

std::vector<std::string> tokens(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (!cur.empty()) out.push_back(std::move(cur));
        cur.clear();
    };
    for (char c : s) {
        if (c == '(' || c == ')') {
            flush();
            out.emplace_back(1, c);
        } else if (c == ' ' || c == '\t') {
            flush();
        } else {
            cur += c;
        }
    }
    flush();
    return out;
}

}  // namespace

bool is_spdx_id(std::string_view id) {
    return std::binary_search(std::begin(kIds), std::end(kIds), id);
}

LicenseForm license_form(std::string_view license) {
    auto t = tokens(license);
    if (t.empty()) return LicenseForm::none;
    if (t.size() > 4096) return LicenseForm::text;
    Parser p(std::move(t));
    if (!p.parse()) return LicenseForm::text;
    return p.compound() ? LicenseForm::expression : LicenseForm::spdx_id;
}

}  // namespace tarsier::pkg
