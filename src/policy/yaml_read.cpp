#include "policy/yaml_read.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace tarsier::policy::yaml {

std::string where(const std::string& file, const YAML::Node& node) {
    return fmt::format("{}:{}", file, node.Mark().line + 1);
}

util::Error error_at(const std::string& file, const YAML::Node& node, const std::string& what) {
    return util::Error{util::ErrorKind::usage, file, fmt::format("line {}", node.Mark().line + 1), what};
}

util::Result<YAML::Node> load(std::string_view text, const std::string& file) {
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        return util::fail(util::Error{util::ErrorKind::usage, file, fmt::format("line {}", e.mark.line + 1), e.msg});
    }
}

util::Result<void> known_keys(const std::string& file, const YAML::Node& node, std::string_view what,
                              std::initializer_list<std::string_view> known) {
    if (!node.IsMap()) return util::fail(error_at(file, node, fmt::format("{} must be a map of keys", what)));
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) return util::fail(error_at(file, it->first, fmt::format("{}: a key must be text", what)));
        const std::string key = it->first.Scalar();
        bool ok = false;
        for (auto k : known) ok = ok || k == key;
        if (!ok) {
            std::string list;
            for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
            return util::fail(error_at(file, it->first, fmt::format("unknown key '{}' in {} (known: {})", key, what, list)));
        }
    }
    return {};
}

util::Result<std::string> scalar(const std::string& file, const YAML::Node& node, std::string_view key) {
    if (!node.IsScalar()) return util::fail(error_at(file, node, fmt::format("{} must be a single value", key)));
    return node.Scalar();
}

std::optional<double> parse_number(std::string_view text) {
    double v = 0;
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<double> parse_fraction(std::string_view text) {
    if (text.ends_with('%')) {
        auto v = parse_number(text.substr(0, text.size() - 1));
        if (!v) return std::nullopt;
        return *v / 100.0;
    }
    return parse_number(text);
}

}  // namespace tarsier::policy::yaml
