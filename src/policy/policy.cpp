#include "policy/policy.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "oci/config.hpp"
#include "policy/yaml_read.hpp"
#include "util/size.hpp"

namespace tarsier::policy {

namespace {

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

using yaml::error_at;

util::Result<bool> boolean(const std::string& file, const YAML::Node& node, std::string_view key) {
    auto s = yaml::scalar(file, node, key);
    if (!s) return s.failure();
    if (*s == "true") return true;
    if (*s == "false") return false;
    return util::fail(error_at(file, node, fmt::format("{} must be true or false, not '{}'", key, *s)));
}

util::Result<std::vector<std::string>> string_list(const std::string& file, const YAML::Node& node, std::string_view key) {
    std::vector<std::string> out;
    if (node.IsScalar()) {
        out.push_back(node.Scalar());
        return out;
    }
    if (!node.IsSequence()) return util::fail(error_at(file, node, fmt::format("{} must be a list of rule ids", key)));
    for (const auto& item : node) {
        auto s = yaml::scalar(file, item, key);
        if (!s) return s.failure();
        out.push_back(*s);
    }
    return out;
}

util::Result<void> read_verify(const std::string& file, const YAML::Node& node, Policy& p) {
    if (auto ok = yaml::known_keys(file, node, "verify", {"strict", "errors"}); !ok) return ok;
    if (auto v = node["strict"]) {
        auto b = boolean(file, v, "verify.strict");
        if (!b) return b.failure();
        p.verify_strict = *b;
    }
    if (auto v = node["errors"]) {
        auto l = string_list(file, v, "verify.errors");
        if (!l) return l.failure();
        p.verify_errors = std::move(*l);
    }
    return {};
}

util::Result<void> read_audit(const std::string& file, const YAML::Node& node, Policy& p) {
    if (auto ok = yaml::known_keys(file, node, "audit", {"fail-on"}); !ok) return ok;
    if (auto v = node["fail-on"]) {
        auto s = yaml::scalar(file, v, "audit.fail-on");
        if (!s) return s.failure();
        if (*s == "never") {
            p.audit_fail_on.reset();
        } else {
            auto sev = audit::parse_severity(*s);
            if (!sev)
                return util::fail(error_at(file, v, fmt::format("audit.fail-on must be critical, high, medium, low, info or "
                                                                "never, not '{}'", *s)));
            p.audit_fail_on = *sev;
        }
    }
    return {};
}

util::Result<void> read_waste(const std::string& file, const YAML::Node& node, Policy& p) {
    if (auto ok = yaml::known_keys(file, node, "waste",
                                   {"dive-compatible", "lowest-efficiency", "highest-wasted-bytes", "highest-user-wasted-percent"});
        !ok)
        return ok;
    WasteRules& w = p.waste;
    w.source = file;
    if (auto v = node["dive-compatible"]) {
        auto b = boolean(file, v, "waste.dive-compatible");
        if (!b) return b.failure();
        w.dive_compatible = *b;
    }
    auto fraction = [&](const char* key, std::optional<double>& out) -> util::Result<void> {
        auto v = node[key];
        if (!v) return {};
        auto s = yaml::scalar(file, v, key);
        if (!s) return s.failure();
        if (*s == "disabled") return {};
        auto f = yaml::parse_fraction(*s);
        if (!f) return util::fail(error_at(file, v, fmt::format("waste.{} must be a fraction (0.1) or a percentage (10%), not '{}'", key, *s)));
        out = *f;
        if (auto ok = check_waste_rules(w, "waste." + std::string(key)); !ok)
            return util::fail(error_at(file, v, ok.error().to_string()));
        return {};
    };
    if (auto r = fraction("lowest-efficiency", w.lowest_efficiency); !r) return r;
    if (auto r = fraction("highest-user-wasted-percent", w.highest_user_wasted); !r) return r;
    if (auto v = node["highest-wasted-bytes"]) {
        auto s = yaml::scalar(file, v, "waste.highest-wasted-bytes");
        if (!s) return s.failure();
        if (*s != "disabled") {
            auto bytes = util::parse_size(*s, "waste.highest-wasted-bytes");
            if (!bytes) return util::fail(error_at(file, v, bytes.error().to_string()));
            w.highest_wasted_bytes = *bytes;
            if (auto ok = check_waste_rules(w, "waste.highest-wasted-bytes"); !ok)
                return util::fail(error_at(file, v, ok.error().to_string()));
        }
    }
    return {};
}

util::Result<void> read_ignores(const std::string& file, const YAML::Node& node, Policy& p) {
    if (!node.IsSequence()) return util::fail(error_at(file, node, "ignore must be a list of {rule, path, reason, expires}"));
    for (const auto& item : node) {
        if (auto ok = yaml::known_keys(file, item, "an ignore entry", {"rule", "path", "reason", "expires"}); !ok) return ok;
        Ignore ig;
        ig.where = yaml::where(file, item);
        auto text = [&](const char* key, std::string& out, bool required) -> util::Result<void> {
            auto v = item[key];
            if (!v) {
                if (required) return util::fail(error_at(file, item, fmt::format("an ignore entry needs '{}'", key)));
                return {};
            }
            auto s = yaml::scalar(file, v, key);
            if (!s) return s.failure();
            if (s->empty() && required) return util::fail(error_at(file, v, fmt::format("'{}' must not be empty", key)));
            out = *s;
            return {};
        };
        if (auto r = text("rule", ig.rule, true); !r) return r;
        if (auto r = text("path", ig.path, false); !r) return r;
        if (auto r = text("reason", ig.reason, true); !r) return r;
        std::string expires;
        if (auto r = text("expires", expires, false); !r) return r;
        if (item["expires"]) {
            ig.expires = parse_date(expires);
            if (!ig.expires)
                return util::fail(error_at(file, item["expires"], fmt::format("expires must be a date YYYY-MM-DD, not '{}'", expires)));
        }
        p.ignores.push_back(std::move(ig));
    }
    return {};
}

}  // namespace

std::optional<Date> parse_date(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    auto num = [&](std::size_t from, std::size_t n) -> std::optional<unsigned> {
        unsigned v = 0;
        for (std::size_t i = from; i < from + n; ++i) {
            if (t[i] < '0' || t[i] > '9') return std::nullopt;
            v = v * 10 + static_cast<unsigned>(t[i] - '0');
        }
        return v;
    };
    auto y = num(0, 4), m = num(5, 2), d = num(8, 2);
    if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned last = kDays[*m - 1] + (*m == 2 && leap(*y) ? 1 : 0);
    if (*d > last) return std::nullopt;
    auto midnight = oci::parse_rfc3339(std::string(t) + "T00:00:00Z");
    if (!midnight) return std::nullopt;
    return Date{midnight->seconds / 86400, std::string(t)};
}

util::Result<void> check_waste_rules(const WasteRules& r, std::string_view where) {
    auto bad = [&](std::string what) { return util::fail(util::ErrorKind::usage, std::string(where), std::move(what)); };
    if (r.lowest_efficiency) {
        double v = *r.lowest_efficiency;
        if (!(v >= 0.0 && v <= 1.0)) return bad(fmt::format("lowest efficiency {} is outside 0..1 (it would always fire)", v));
        if (v == 0.0) return bad("lowest efficiency 0 can never fire (efficiency is never below 0)");
    }
    if (r.highest_user_wasted) {
        double v = *r.highest_user_wasted;
        if (!(v >= 0.0 && v <= 1.0)) return bad(fmt::format("highest user wasted fraction {} is outside 0..1", v));
    }
    if (r.highest_wasted_bytes && *r.highest_wasted_bytes == std::numeric_limits<std::uint64_t>::max())
        return bad("highest wasted bytes 2^64 - 1 can never fire");
    return {};
}

util::Result<Policy> parse_policy(std::string_view text, const std::string& name) {
    auto root = yaml::load(text, name);
    if (!root) return root.failure();
    Policy p;
    p.source = name;
    if (root->IsNull()) return p;  // an empty file: the defaults
    if (auto ok = yaml::known_keys(name, *root, "the policy", {"version", "verify", "audit", "waste", "ignore"}); !ok)
        return ok.failure();
    if (auto v = (*root)["version"]) {
        auto s = yaml::scalar(name, v, "version");
        if (!s) return s.failure();
        if (*s != "1") return util::fail(error_at(name, v, fmt::format("version {} is not supported (this tarsier reads version 1)", *s)));
    }
    if (auto v = (*root)["verify"]; v && !v.IsNull())
        if (auto ok = read_verify(name, v, p); !ok) return ok.failure();
    if (auto v = (*root)["audit"]; v && !v.IsNull())
        if (auto ok = read_audit(name, v, p); !ok) return ok.failure();
    if (auto v = (*root)["waste"]; v && !v.IsNull())
        if (auto ok = read_waste(name, v, p); !ok) return ok.failure();
    if (auto v = (*root)["ignore"]; v && !v.IsNull())
        if (auto ok = read_ignores(name, v, p); !ok) return ok.failure();
    return p;
}

util::Result<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return util::fail(util::Error{util::ErrorKind::usage, path, "", std::strerror(errno)});
    std::ostringstream s;
    s << in.rdbuf();
    if (s.str().size() > (1u << 20)) return util::fail(util::Error{util::ErrorKind::usage, path, "", "larger than 1 MiB"});
    return s.str();
}

util::Result<Policy> load_policy(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) return text.failure();
    return parse_policy(*text, path);
}

}  // namespace tarsier::policy
