#pragma once
/// Counted nouns in messages and summaries: "1 layer", "4 layers".

#include <cstdint>
#include <string>
#include <string_view>

namespace tarsier::util {

/// "<n> <noun>", with "s" added (or `plural` used) unless n is 1.
inline std::string count(std::uint64_t n, std::string_view noun, std::string_view plural = {}) {
    std::string out = std::to_string(n) + " ";
    if (n == 1) return out.append(noun);
    if (!plural.empty()) return out.append(plural);
    return out.append(noun).append("s");
}

}  // namespace tarsier::util
