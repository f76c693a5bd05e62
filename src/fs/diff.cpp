#include "fs/diff.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "util/path.hpp"

namespace tarsier::fs {

namespace {

/// Permission, setuid/setgid and sticky bits; some writers also store the file type bits.
constexpr std::uint32_t kModeBits = 07777;

bool is_device(char type) { return type == '3' || type == '4'; }

bool is_below(std::string_view path, std::string_view dir) {
    return dir.empty() || (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/');
}

std::optional<std::vector<std::string>> one(const std::string& s) {
    if (s.empty()) return std::nullopt;
    return std::vector<std::string>{s};
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/// The fields of `config` (and of container_config), in comparison order.
const std::vector<std::string> kRunFields = {
    "Env", "Entrypoint", "Cmd", "User", "WorkingDir", "Labels", "ExposedPorts", "Volumes", "StopSignal",
    "ArgsEscaped", "Healthcheck.Test", "Healthcheck.Interval", "Healthcheck.Timeout", "Healthcheck.StartPeriod",
    "Healthcheck.StartInterval", "Healthcheck.Retries", "Shell", "OnBuild", "StopTimeout", "Hostname", "Domainname",
    "Image", "MacAddress", "AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce",
    "NetworkDisabled"};
/// The top-level fields, in comparison order.
const std::vector<std::string> kTopFields = {"os",      "architecture", "variant",        "os.version", "os.features", "created",
                                             "author",  "comment",      "docker_version", "container",  "parent"};
constexpr std::string_view kContainerConfig = "container_config";

/// A name as ignore lists hold it: lower case, without the optional "config." prefix.
std::string ignore_key(std::string_view name) {
    std::string n = lower(name);
    if (n.starts_with("config.")) n.erase(0, 7);
    return n;
}

/// Collects the differences of one scope (`config`, the top level, container_config or a
/// history step), leaving out ignored fields. A field is ignored when its name, one of the
/// groups of its scope or its scope's Healthcheck group is.
class Collector {
public:
    Collector(std::vector<ConfigDifference>& out, const std::vector<std::string>& ignored) : m_out(out) {
        for (const auto& i : ignored) m_ignored.insert(ignore_key(i));
    }

    /// Fields from here on are named `prefix` + name and belong to `groups` (lower case).
    void scope(std::string prefix, std::vector<std::string> groups) {
        m_prefix = std::move(prefix);
        m_groups = std::move(groups);
    }

    void string(std::string_view field, const std::string& before, const std::string& after) {
        // The parser leaves absent strings empty; an empty User or WorkingDir means the default.
        if (before == after || skip(field)) return;
        m_out.push_back({name(field), "", ValueShape::string, one(before), one(after)});
    }

    void list(std::string_view field, const std::optional<std::vector<std::string>>& before,
              const std::optional<std::vector<std::string>>& after) {
        if (before == after || skip(field)) return;
        m_out.push_back({name(field), "", ValueShape::list, before, after});
    }

    /// A list whose absence is its emptiness (OnBuild).
    void list(std::string_view field, const std::vector<std::string>& before, const std::vector<std::string>& after) {
        auto opt = [](const std::vector<std::string>& v) {
            return v.empty() ? std::nullopt : std::optional<std::vector<std::string>>(v);
        };
        list(field, opt(before), opt(after));
    }

    void boolean(std::string_view field, bool before, bool after) {
        if (before == after || skip(field)) return;
        auto text = [](bool b) { return std::vector<std::string>{b ? "true" : "false"}; };
        m_out.push_back({name(field), "", ValueShape::boolean, text(before), text(after)});
    }

    void number(std::string_view field, ValueShape shape, std::optional<std::int64_t> before,
                std::optional<std::int64_t> after) {
        if (before == after || skip(field)) return;
        auto text = [](std::optional<std::int64_t> v) {
            return v ? std::optional<std::vector<std::string>>(std::vector<std::string>{std::to_string(*v)})
                     : std::nullopt;
        };
        m_out.push_back({name(field), "", shape, text(before), text(after)});
    }

    void map(std::string_view field, const std::map<std::string, std::string>& before,
             const std::map<std::string, std::string>& after) {
        if (skip(field)) return;
        std::set<std::string> keys;
        for (const auto& [k, v] : before) keys.insert(k);
        for (const auto& [k, v] : after) keys.insert(k);
        for (const auto& k : keys) {
            auto b = before.find(k);
            auto a = after.find(k);
            std::optional<std::vector<std::string>> bv, av;
            if (b != before.end()) bv = std::vector<std::string>{b->second};
            if (a != after.end()) av = std::vector<std::string>{a->second};
            if (bv != av) m_out.push_back({name(field), k, ValueShape::string, bv, av});
        }
    }

    void set(std::string_view field, const std::vector<std::string>& before, const std::vector<std::string>& after) {
        if (skip(field)) return;
        std::set<std::string> b(before.begin(), before.end()), a(after.begin(), after.end());
        std::set<std::string> keys = b;
        keys.insert(a.begin(), a.end());
        for (const auto& k : keys) {
            bool in_b = b.count(k) > 0, in_a = a.count(k) > 0;
            if (in_b == in_a) continue;
            std::optional<std::vector<std::string>> item = std::vector<std::string>{k};
            m_out.push_back({name(field), k, ValueShape::member, in_b ? item : std::nullopt, in_a ? item : std::nullopt});
        }
    }

private:
    std::string name(std::string_view field) const { return m_prefix + std::string(field); }

    bool skip(std::string_view field) const {
        if (m_ignored.empty()) return false;
        std::string n = lower(name(field));
        if (m_ignored.count(n)) return true;
        for (const auto& g : m_groups)
            if (m_ignored.count(g)) return true;
        auto h = n.rfind("healthcheck.");
        return h != std::string::npos && m_ignored.count(n.substr(0, h + 11)) > 0;
    }

    std::vector<ConfigDifference>& m_out;
    std::set<std::string> m_ignored;
    std::string m_prefix;
    std::vector<std::string> m_groups;
};

/// Go's omitempty: a zero duration or count is an absent one.
std::optional<std::int64_t> nonzero(std::int64_t v) { return v ? std::optional<std::int64_t>(v) : std::nullopt; }

/// Env as Docker resolves it: one value per name, the last definition winning.
std::map<std::string, std::string> env_map(const std::vector<std::string>& env) {
    std::map<std::string, std::string> out;
    for (const auto& e : env) {
        auto eq = e.find('=');
        if (eq == std::string::npos) out[e] = "";
        else out[e.substr(0, eq)] = e.substr(eq + 1);
    }
    return out;
}

void compare_run_configs(Collector& c, const oci::RunConfig& b, const oci::RunConfig& a) {
    c.map("Env", env_map(b.env), env_map(a.env));
    c.list("Entrypoint", b.entrypoint, a.entrypoint);
    c.list("Cmd", b.cmd, a.cmd);
    c.string("User", b.user, a.user);
    c.string("WorkingDir", b.working_dir, a.working_dir);
    c.map("Labels", b.labels, a.labels);
    c.set("ExposedPorts", b.exposed_ports, a.exposed_ports);
    c.set("Volumes", b.volumes, a.volumes);
    c.string("StopSignal", b.stop_signal, a.stop_signal);
    c.boolean("ArgsEscaped", b.args_escaped, a.args_escaped);
    const oci::Healthcheck none;
    const oci::Healthcheck& bh = b.healthcheck ? *b.healthcheck : none;
    const oci::Healthcheck& ah = a.healthcheck ? *a.healthcheck : none;
    c.list("Healthcheck.Test", bh.test, ah.test);
    c.number("Healthcheck.Interval", ValueShape::duration, nonzero(bh.interval), nonzero(ah.interval));
    c.number("Healthcheck.Timeout", ValueShape::duration, nonzero(bh.timeout), nonzero(ah.timeout));
    c.number("Healthcheck.StartPeriod", ValueShape::duration, nonzero(bh.start_period), nonzero(ah.start_period));
    c.number("Healthcheck.StartInterval", ValueShape::duration, nonzero(bh.start_interval), nonzero(ah.start_interval));
    c.number("Healthcheck.Retries", ValueShape::number, nonzero(bh.retries), nonzero(ah.retries));
    c.list("Shell", b.shell, a.shell);
    c.list("OnBuild", b.on_build, a.on_build);
    c.number("StopTimeout", ValueShape::number, b.stop_timeout, a.stop_timeout);
    c.string("Hostname", b.hostname, a.hostname);
    c.string("Domainname", b.domainname, a.domainname);
    c.string("Image", b.image, a.image);
    c.string("MacAddress", b.mac_address, a.mac_address);
    c.boolean("AttachStdin", b.attach_stdin, a.attach_stdin);
    c.boolean("AttachStdout", b.attach_stdout, a.attach_stdout);
    c.boolean("AttachStderr", b.attach_stderr, a.attach_stderr);
    c.boolean("Tty", b.tty, a.tty);
    c.boolean("OpenStdin", b.open_stdin, a.open_stdin);
    c.boolean("StdinOnce", b.stdin_once, a.stdin_once);
    c.boolean("NetworkDisabled", b.network_disabled, a.network_disabled);
}

}  // namespace

std::string_view aspect_name(Aspect a) {
    switch (a) {
        case Aspect::type: return "type";
        case Aspect::content: return "content";
        case Aspect::size: return "size";
        case Aspect::mode: return "mode";
        case Aspect::owner: return "owner";
        case Aspect::link: return "link";
        case Aspect::device: return "device";
        case Aspect::mtime: return "mtime";
        case Aspect::xattrs: return "xattrs";
    }
    return "unknown";
}

std::vector<Aspect> compare_entries(const archive::IndexEntry& b, const archive::IndexEntry& a, const FileDiffOptions& o) {
    std::vector<Aspect> out;
    if (b.type != a.type) out.push_back(Aspect::type);
    if (b.content() != a.content()) out.push_back(Aspect::content);
    if (b.size != a.size) out.push_back(Aspect::size);
    if (!o.ignore_mode && (b.mode & kModeBits) != (a.mode & kModeBits)) out.push_back(Aspect::mode);
    if (!o.ignore_owner && (b.uid != a.uid || b.gid != a.gid)) out.push_back(Aspect::owner);
    if (b.link() != a.link()) out.push_back(Aspect::link);
    if ((is_device(b.type) || is_device(a.type)) && (b.dev_major != a.dev_major || b.dev_minor != a.dev_minor))
        out.push_back(Aspect::device);
    if (!o.ignore_timestamps && b.mtime != a.mtime) out.push_back(Aspect::mtime);
    if (b.xattrs() != a.xattrs()) out.push_back(Aspect::xattrs);
    return out;
}

std::vector<FileDifference> diff_trees(const MergedTree& before, const MergedTree& after, const FileDiffOptions& o) {
    std::vector<FileDifference> out;
    const auto& b = before.nodes();
    const auto& a = after.nodes();
    auto bi = b.begin();
    auto ai = a.begin();
    while (bi != b.end() || ai != a.end()) {
        if (ai == a.end() || (bi != b.end() && bi->path() < ai->path())) {
            out.push_back({ChangeKind::deleted, bi->path(), bi->entry, nullptr, {}});
            ++bi;
        } else if (bi == b.end() || ai->path() < bi->path()) {
            out.push_back({ChangeKind::added, ai->path(), nullptr, ai->entry, {}});
            ++ai;
        } else {
            auto aspects = compare_entries(*bi->entry, *ai->entry, o);
            if (!aspects.empty())
                out.push_back({ChangeKind::changed, bi->path(), bi->entry, ai->entry, std::move(aspects)});
            ++bi;
            ++ai;
        }
    }
    return out;
}

ChangeKind ConfigDifference::kind() const {
    if (!before) return ChangeKind::added;
    if (!after) return ChangeKind::deleted;
    return ChangeKind::changed;
}

const std::vector<std::string>& config_field_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out = kRunFields;
        out.insert(out.end(), kTopFields.begin(), kTopFields.end());
        for (const auto& f : kRunFields) out.push_back(std::string(kContainerConfig) + "." + f);
        return out;
    }();
    return names;
}

bool is_config_field(std::string_view name) {
    std::string n = ignore_key(name);
    if (n == "config" || n == "healthcheck" || n == kContainerConfig || n == "container_config.healthcheck") return true;
    for (const auto& f : config_field_names())
        if (lower(f) == n) return true;
    return false;
}

std::vector<ConfigDifference> diff_configs(const oci::ImageConfig& before, const oci::ImageConfig& after,
                                           const std::vector<std::string>& ignored) {
    std::vector<ConfigDifference> out;
    Collector c(out, ignored);
    c.scope("", {"config"});
    compare_run_configs(c, before.config, after.config);
    c.scope("", {});
    c.string("os", before.os, after.os);
    c.string("architecture", before.architecture, after.architecture);
    c.string("variant", before.variant, after.variant);
    c.string("os.version", before.os_version, after.os_version);
    c.set("os.features", before.os_features, after.os_features);
    c.string("created", before.created, after.created);
    c.string("author", before.author, after.author);
    c.string("comment", before.comment, after.comment);
    c.string("docker_version", before.docker_version, after.docker_version);
    c.string("container", before.container, after.container);
    c.string("parent", before.parent, after.parent);
    c.scope(std::string(kContainerConfig) + ".", {std::string(kContainerConfig)});
    compare_run_configs(c, before.container_config, after.container_config);
    return out;
}

namespace {

/// The details of two steps paired by created_by; a difference when they differ.
std::optional<HistoryDifference> compare_steps(const oci::HistoryEntry& b, std::size_t i, const oci::HistoryEntry& a,
                                               std::size_t j, bool ignore_created) {
    std::vector<ConfigDifference> fields;
    Collector c(fields, ignore_created ? std::vector<std::string>{"created"} : std::vector<std::string>{});
    c.string("created", b.created, a.created);
    c.string("author", b.author, a.author);
    c.string("comment", b.comment, a.comment);
    c.boolean("empty_layer", b.empty_layer, a.empty_layer);
    if (fields.empty()) return std::nullopt;
    return HistoryDifference{ChangeKind::changed, j, a.created_by, i, std::move(fields)};
}

}  // namespace

std::vector<HistoryDifference> diff_histories(const std::vector<oci::HistoryEntry>& before,
                                              const std::vector<oci::HistoryEntry>& after, bool ignore_created) {
    // A common prefix and suffix need no table; real histories differ near the top.
    std::size_t n = before.size(), m = after.size();
    std::size_t lo = 0;
    while (lo < n && lo < m && before[lo].created_by == after[lo].created_by) ++lo;
    std::size_t bn = n, an = m;
    while (bn > lo && an > lo && before[bn - 1].created_by == after[an - 1].created_by) --bn, --an;
    std::size_t rows = bn - lo, cols = an - lo;
    // lcs[i][j]: the longest common subsequence of before[lo+i..bn) and after[lo+j..an).
    std::vector<std::uint32_t> lcs((rows + 1) * (cols + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (cols + 1) + j]; };
    for (std::size_t i = rows; i-- > 0;)
        for (std::size_t j = cols; j-- > 0;)
            at(i, j) = before[lo + i].created_by == after[lo + j].created_by ? at(i + 1, j + 1) + 1
                                                                             : std::max(at(i + 1, j), at(i, j + 1));
    std::vector<HistoryDifference> out;
    auto paired = [&](std::size_t bi, std::size_t aj) {
        if (auto d = compare_steps(before[bi], bi, after[aj], aj, ignore_created)) out.push_back(std::move(*d));
    };
    for (std::size_t k = 0; k < lo; ++k) paired(k, k);
    std::size_t i = 0, j = 0;
    while (i < rows || j < cols) {
        if (i < rows && j < cols && before[lo + i].created_by == after[lo + j].created_by) {
            paired(lo + i, lo + j);
            ++i, ++j;
        } else if (j == cols || (i < rows && at(i + 1, j) >= at(i, j + 1))) {
            out.push_back({ChangeKind::deleted, lo + i, before[lo + i].created_by, std::nullopt, {}});
            ++i;
        } else {
            out.push_back({ChangeKind::added, lo + j, after[lo + j].created_by, std::nullopt, {}});
            ++j;
        }
    }
    for (std::size_t k = 0; bn + k < n; ++k) paired(bn + k, an + k);
    return out;
}

LayerComparison compare_layers(const std::vector<std::string>& before, const std::vector<std::string>& after) {
    LayerComparison out;
    out.equal = before == after;
    while (out.common_base < before.size() && out.common_base < after.size() &&
           before[out.common_base] == after[out.common_base])
        ++out.common_base;
    std::map<std::string, std::deque<std::size_t>> unpaired;
    for (std::size_t j = 0; j < after.size(); ++j) unpaired[after[j]].push_back(j);
    std::vector<bool> paired(after.size(), false);
    for (std::size_t i = 0; i < before.size(); ++i) {
        LayerPresence p{before[i], i, std::nullopt};
        auto it = unpaired.find(before[i]);
        if (it != unpaired.end() && !it->second.empty()) {
            p.after = it->second.front();
            paired[it->second.front()] = true;
            it->second.pop_front();
        }
        out.layers.push_back(std::move(p));
    }
    for (std::size_t j = 0; j < after.size(); ++j)
        if (!paired[j]) out.layers.push_back({after[j], std::nullopt, j});
    return out;
}

bool ImageDifferences::differ() const {
    return !files.empty() || !config.empty() || !history.empty() || !layers.equal;
}

ImageDifferences diff_images(const ImageSide& before, const ImageSide& after, const ImageDiffOptions& o) {
    ImageDifferences out;
    out.files = diff_trees(*before.tree, *after.tree, o.files);
    if (!o.ignore_config) {
        std::vector<std::string> ignored = o.ignore_fields;
        if (o.ignore_created) ignored.emplace_back("created");
        if (o.ignore_docker_version) ignored.insert(ignored.end(), {"docker_version", "container", "container_config"});
        out.config = diff_configs(*before.config, *after.config, ignored);
    }
    if (!o.ignore_history) out.history = diff_histories(before.config->history, after.config->history, o.ignore_created);
    if (!o.ignore_layers) out.layers = compare_layers(before.config->diff_ids, after.config->diff_ids);
    return out;
}

bool holds(const MergedTree& tree, const std::string& path) {
    return tree.find(path) != nullptr || tree.has_children(path);
}

std::vector<Change> changes_touching(const LayerChanges& changes, const std::string& path, bool held) {
    std::vector<Change> out;
    for (const auto& c : changes.changes) {
        bool at_or_below = c.path() == path || is_below(c.path(), path);
        // A deleted ancestor, or one that became a file or a link, takes the path with it.
        bool removes_ancestor = held && is_below(path, c.path()) &&
                                (c.kind == ChangeKind::deleted || (c.after && c.after->type != '5'));
        if (at_or_below || removes_ancestor) out.push_back(c);
    }
    return out;
}

std::vector<PathChanges> blame(const std::vector<std::shared_ptr<const archive::LayerIndex>>& layers,
                               std::string_view path, MergedTree& tree,
                               const std::function<void(std::size_t layer, bool touched)>& after_layer) {
    std::string p = util::clean_path_clamped(path);
    std::vector<PathChanges> out;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        bool held = holds(tree, p);
        auto touching = changes_touching(tree.apply(layers[i], i), p, held);
        bool touched = !touching.empty();
        if (touched) out.push_back({i, std::move(touching)});
        if (after_layer) after_layer(i, touched);
    }
    return out;
}

}  // namespace tarsier::fs
