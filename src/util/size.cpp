#include "util/size.hpp"

#include <cctype>
#include <cmath>
#include <string>

namespace tarsier::util {

Result<std::uint64_t> parse_size(std::string_view text, std::string_view option) {
    auto bad = [&](std::string_view why) {
        return fail(ErrorKind::usage, std::string(option),
                    "'" + std::string(text) + "' " + std::string(why) + " (e.g. 1000000, 512k, 64G, 20MB, 1.5GiB)");
    };
    std::size_t i = 0;
    std::uint64_t whole = 0;
    bool digits = false;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
        unsigned d = static_cast<unsigned>(text[i] - '0');
        if (whole > (UINT64_MAX - d) / 10) return bad("is too large");
        whole = whole * 10 + d;
        digits = true;
    }
    double fraction = 0;
    if (i < text.size() && text[i] == '.') {
        double scale = 0.1;
        for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, scale /= 10) {
            fraction += (text[i] - '0') * scale;
            digits = true;
        }
    }
    if (!digits) return bad("is not a size");
    std::string unit;
    for (char c : text.substr(i)) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static constexpr struct {
        const char* name;
        double factor;
    } units[] = {
        {"", 1}, {"b", 1},
        {"k", 1024.0}, {"m", 1048576.0}, {"g", 1073741824.0}, {"t", 1099511627776.0},
        {"kib", 1024.0}, {"mib", 1048576.0}, {"gib", 1073741824.0}, {"tib", 1099511627776.0},
        {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
    };
    for (const auto& u : units) {
        if (unit != u.name) continue;
        if (u.factor == 1 && fraction != 0) return bad("has a fraction of a byte");
        long double value = (static_cast<long double>(whole) + fraction) * u.factor;
        if (value >= 18446744073709551615.0L) return bad("is too large");
        return static_cast<std::uint64_t>(std::floor(value));
    }
    return bad("has an unknown unit");
}

}  // namespace tarsier::util
