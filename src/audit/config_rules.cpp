#include "audit/config_rules.hpp"

#include <set>

#include "audit/secret_names.hpp"

namespace tarsier::audit {

namespace {

Finding config_finding(std::string_view rule, std::string key, std::string detail) {
    const Rule* r = find_rule(rule);
    Finding f;
    f.rule = std::string(rule);
    f.severity = r->severity;
    f.config_key = std::move(key);
    f.detail = std::move(detail);
    return f;
}

}  // namespace

void check_config(const oci::RunConfig& config, std::vector<Finding>& out) {
    if (runs_as_root(config.user)) {
        std::string shown = config.user.empty() ? "User is empty (root)" : "User \"" + config.user + "\"";
        out.push_back(config_finding("runs-as-root", "User", std::move(shown)));
    }
    std::set<std::string> seen;  // a name set twice is one finding
    for (const auto& var : config.env) {
        auto eq = var.find('=');
        // Only the name is kept; the value after '=' never leaves this loop.
        std::string name = var.substr(0, eq);
        bool empty_value = eq == std::string::npos || eq + 1 == var.size();
        if (name.empty() || empty_value || !is_secret_env_name(name) || !seen.insert(name).second) continue;
        out.push_back(config_finding("secret-env", "Env/" + name, "environment variable " + name + " is set (value not shown)"));
    }
}

}  // namespace tarsier::audit
