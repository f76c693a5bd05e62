#include "oci/config.hpp"

#include <charconv>
#include <tuple>

namespace tarsier::oci {

using util::ErrorKind;
using util::fail;
using util::Result;

namespace {

/// Entrypoint and Cmd: null, an array of strings, or (Docker accepts it) one string.
Result<std::optional<std::vector<std::string>>> command(const JsonValue& obj, std::string_view key, const std::string& p) {
    const JsonValue* v = member(obj, key);
    if (!v || v->IsNull()) return std::optional<std::vector<std::string>>{};
    if (v->IsString()) return std::optional<std::vector<std::string>>(std::vector<std::string>{v->GetString()});
    auto arr = opt_string_array(obj, key, p);
    if (!arr) return arr.failure();
    return std::optional<std::vector<std::string>>(std::move(*arr));
}

Result<void> read_string(const JsonValue& obj, std::string_view key, const std::string& p, std::string& out) {
    auto v = opt_string(obj, key, p);
    if (!v) return v.failure();
    out = v->value_or("");
    return {};
}

Result<void> read_bool(const JsonValue& obj, std::string_view key, const std::string& p, bool& out) {
    auto v = opt_bool(obj, key, p);
    if (!v) return v.failure();
    out = v->value_or(false);
    return {};
}

Result<void> read_int(const JsonValue& obj, std::string_view key, const std::string& p, std::int64_t& out) {
    auto v = opt_int(obj, key, p);
    if (!v) return v.failure();
    out = v->value_or(0);
    return {};
}

/// Healthcheck: null or an object; Test as Entrypoint and Cmd, durations in nanoseconds.
Result<std::optional<Healthcheck>> parse_healthcheck(const JsonValue& c, const std::string& p) {
    const JsonValue* v = member(c, "Healthcheck");
    if (!v || v->IsNull()) return std::optional<Healthcheck>{};
    std::string hp = pointer_join(p, "Healthcheck");
    if (auto r = expect_object(*v, hp); !r) return r.failure();
    Healthcheck h;
    auto test = command(*v, "Test", hp);
    if (!test) return test.failure();
    h.test = std::move(*test);
    for (auto [key, out] : {std::pair{"Interval", &h.interval}, {"Timeout", &h.timeout}, {"StartPeriod", &h.start_period},
                            {"StartInterval", &h.start_interval}, {"Retries", &h.retries}}) {
        if (auto r = read_int(*v, key, hp, *out); !r) return r.failure();
    }
    return std::optional<Healthcheck>(std::move(h));
}

Result<RunConfig> parse_run_config(const JsonValue& c, const std::string& p) {
    RunConfig rc;
    if (auto r = expect_object(c, p); !r) return r.failure();
    for (auto [key, out] : {std::pair{"User", &rc.user}, {"WorkingDir", &rc.working_dir}, {"StopSignal", &rc.stop_signal},
                            {"Hostname", &rc.hostname}, {"Domainname", &rc.domainname}, {"Image", &rc.image},
                            {"MacAddress", &rc.mac_address}}) {
        if (auto r = read_string(c, key, p, *out); !r) return r.failure();
    }
    for (auto [key, out] : {std::pair{"ArgsEscaped", &rc.args_escaped}, {"AttachStdin", &rc.attach_stdin},
                            {"AttachStdout", &rc.attach_stdout}, {"AttachStderr", &rc.attach_stderr}, {"Tty", &rc.tty},
                            {"OpenStdin", &rc.open_stdin}, {"StdinOnce", &rc.stdin_once},
                            {"NetworkDisabled", &rc.network_disabled}}) {
        if (auto r = read_bool(c, key, p, *out); !r) return r.failure();
    }
    auto health = parse_healthcheck(c, p);
    if (!health) return health.failure();
    rc.healthcheck = std::move(*health);
    auto shell = command(c, "Shell", p);
    if (!shell) return shell.failure();
    rc.shell = std::move(*shell);
    auto on_build = opt_string_array(c, "OnBuild", p);
    if (!on_build) return on_build.failure();
    rc.on_build = std::move(*on_build);
    auto stop_timeout = opt_int(c, "StopTimeout", p);
    if (!stop_timeout) return stop_timeout.failure();
    rc.stop_timeout = *stop_timeout;
    auto env = opt_string_array(c, "Env", p);
    if (!env) return env.failure();
    rc.env = std::move(*env);
    auto ep = command(c, "Entrypoint", p);
    if (!ep) return ep.failure();
    rc.entrypoint = std::move(*ep);
    auto cmd = command(c, "Cmd", p);
    if (!cmd) return cmd.failure();
    rc.cmd = std::move(*cmd);
    auto labels = opt_string_map(c, "Labels", p);
    if (!labels) return labels.failure();
    rc.labels = std::move(*labels);
    auto ports = opt_key_set(c, "ExposedPorts", p);
    if (!ports) return ports.failure();
    rc.exposed_ports = std::move(*ports);
    auto vols = opt_key_set(c, "Volumes", p);
    if (!vols) return vols.failure();
    rc.volumes = std::move(*vols);
    return rc;
}

}  // namespace

Result<ImageConfig> parse_config(const JsonValue& root) {
    if (auto r = expect_object(root, ""); !r) return r.failure();
    ImageConfig ic;
    const std::string p;
    for (auto [key, out] : {std::pair{"created", &ic.created}, {"author", &ic.author}, {"architecture", &ic.architecture},
                            {"os", &ic.os}, {"variant", &ic.variant}, {"os.version", &ic.os_version},
                            {"docker_version", &ic.docker_version}, {"container", &ic.container},
                            {"parent", &ic.parent}, {"comment", &ic.comment}}) {
        if (auto r = read_string(root, key, p, *out); !r) return r.failure();
    }
    auto features = opt_string_array(root, "os.features", p);
    if (!features) return features.failure();
    ic.os_features = std::move(*features);
    for (auto [key, out, has] : {std::tuple{"config", &ic.config, &ic.has_config},
                                 {"container_config", &ic.container_config, &ic.has_container_config}}) {
        const JsonValue* c = member(root, key);
        if (!c || c->IsNull()) continue;
        auto rc = parse_run_config(*c, pointer_join(p, key));
        if (!rc) return rc.failure();
        *out = std::move(*rc);
        *has = true;
    }
    if (const JsonValue* rootfs = member(root, "rootfs"); rootfs && !rootfs->IsNull()) {
        if (auto r = expect_object(*rootfs, "/rootfs"); !r) return r.failure();
        if (auto r = read_string(*rootfs, "type", "/rootfs", ic.rootfs_type); !r) return r.failure();
        if (!ic.rootfs_type.empty() && ic.rootfs_type != "layers")
            return fail(ErrorKind::malformed, "/rootfs/type", "unknown rootfs type '" + ic.rootfs_type + "' (must be \"layers\")");
        auto ids = opt_string_array(*rootfs, "diff_ids", "/rootfs");
        if (!ids) return ids.failure();
        ic.diff_ids = std::move(*ids);
    }
    if (const JsonValue* h = member(root, "history"); h && !h->IsNull()) {
        if (!h->IsArray()) return fail(ErrorKind::malformed, "/history", "expected an array");
        for (rapidjson::SizeType i = 0; i < h->Size(); ++i) {
            std::string hp = pointer_join("/history", i);
            const JsonValue& e = (*h)[i];
            if (auto r = expect_object(e, hp); !r) return r.failure();
            HistoryEntry he;
            for (auto [key, out] : {std::pair{"created", &he.created}, {"created_by", &he.created_by},
                                    {"author", &he.author}, {"comment", &he.comment}}) {
                if (auto r = read_string(e, key, hp, *out); !r) return r.failure();
            }
            auto empty = opt_bool(e, "empty_layer", hp);
            if (!empty) return empty.failure();
            he.empty_layer = empty->value_or(false);
            ic.history.push_back(std::move(he));
        }
    }
    return ic;
}

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view s) {
    int year, mon, day, hour, min, sec;
    if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, mon) || s[7] != '-' ||
        !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) ||
        s[13] != ':' || !digits(s, 14, 2, min) || s[16] != ':' || !digits(s, 17, 2, sec))
        return std::nullopt;
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return std::nullopt;
    std::size_t i = 19;
    std::int32_t nanos = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        int ndig = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (ndig < 9) nanos = nanos * 10 + (s[i] - '0');
            ++ndig;
            ++i;
        }
        if (ndig == 0) return std::nullopt;
        for (int k = std::min(ndig, 9); k < 9; ++k) nanos *= 10;
    }
    std::int64_t offset = 0;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int oh, om;
        if (!digits(s, i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' || !digits(s, i + 4, 2, om)) return std::nullopt;
        offset = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
    std::int64_t days = days_from_civil(year, static_cast<unsigned>(mon), static_cast<unsigned>(day));
    Timestamp t;
    t.seconds = days * 86400 + hour * 3600 + min * 60 + sec - offset;
    t.nanos = nanos;
    return t;
}

}  // namespace tarsier::oci
