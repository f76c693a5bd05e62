#include "policy/dive_ci.hpp"

#include <cctype>

#include <fmt/format.h>

#include "policy/yaml_read.hpp"
#include "util/size.hpp"

namespace tarsier::policy {

namespace {

/// go-humanize's ParseBytes spelling in util::parse_size's: a one-letter or "Xi" unit is
/// decimal or binary there ("20M" is 20 MB, "20Mi" 20 MiB), blanks between number and
/// unit are allowed.
std::string humanize_size(std::string_view text) {
    std::string s;
    for (char c : text)
        if (c != ' ') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s.size() >= 2 && s.back() == 'i') return s + "b";
    if (s.size() >= 2 && std::string_view("kmgtpe").find(s.back()) != std::string_view::npos &&
        (std::isdigit(static_cast<unsigned char>(s[s.size() - 2])) || s[s.size() - 2] == '.'))
        return s + "b";
    return s;
}

}  // namespace

util::Result<WasteRules> parse_dive_ci(std::string_view text, const std::string& name) {
    auto root = yaml::load(text, name);
    if (!root) return root.failure();
    WasteRules w;
    w.source = name;
    w.dive_compatible = true;
    // dive's defaults for what the file leaves out.
    w.lowest_efficiency = 0.9;
    w.highest_user_wasted = 0.1;
    if (root->IsNull()) return w;
    if (!root->IsMap()) return util::fail(yaml::error_at(name, *root, "a .dive-ci must be a map with 'rules'"));
    auto rules = (*root)["rules"];
    if (!rules || rules.IsNull()) return w;
    if (auto ok = yaml::known_keys(name, rules, "rules", {kDiveRuleKeys[0], kDiveRuleKeys[1], kDiveRuleKeys[2]}); !ok)
        return ok.failure();
    auto fraction = [&](std::string_view key, std::optional<double>& out) -> util::Result<void> {
        auto v = rules[std::string(key)];
        if (!v) return {};
        auto s = yaml::scalar(name, v, key);
        if (!s) return s.failure();
        if (*s == "disabled") {
            out.reset();
            return {};
        }
        auto f = yaml::parse_number(*s);
        if (!f) return util::fail(yaml::error_at(name, v, fmt::format("invalid config value ('{}') for {}", *s, key)));
        if (*f < 0 || *f > 1)
            return util::fail(yaml::error_at(name, v, fmt::format("{} config value is outside allowed range (0-1), given '{}'", key, *s)));
        out = *f;
        return {};
    };
    if (auto r = fraction("lowestEfficiency", w.lowest_efficiency); !r) return r.failure();
    if (auto r = fraction("highestUserWastedPercent", w.highest_user_wasted); !r) return r.failure();
    if (auto v = rules["highestWastedBytes"]) {
        auto s = yaml::scalar(name, v, "highestWastedBytes");
        if (!s) return s.failure();
        if (*s != "disabled") {
            auto bytes = util::parse_size(humanize_size(*s), "highestWastedBytes");
            if (!bytes) return util::fail(yaml::error_at(name, v, fmt::format("invalid config value ('{}') for highestWastedBytes", *s)));
            w.highest_wasted_bytes = *bytes;
        }
    }
    if (auto ok = check_waste_rules(w, "rules"); !ok) return util::fail(ok.error().in_file(name));
    return w;
}

util::Result<WasteRules> load_dive_ci(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) return text.failure();
    return parse_dive_ci(*text, path);
}

}  // namespace tarsier::policy
