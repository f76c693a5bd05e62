#include "fs/diff.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

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

void add_string(std::vector<ConfigDifference>& out, std::string field, const std::string& before,
                const std::string& after) {
    // The parser leaves absent strings empty; an empty User or WorkingDir means the default.
    if (before == after) return;
    out.push_back({std::move(field), "", ValueShape::string, one(before), one(after)});
}

void add_list(std::vector<ConfigDifference>& out, std::string field, const std::optional<std::vector<std::string>>& before,
              const std::optional<std::vector<std::string>>& after) {
    if (before == after) return;
    out.push_back({std::move(field), "", ValueShape::list, before, after});
}

void add_map(std::vector<ConfigDifference>& out, const std::string& field, const std::map<std::string, std::string>& before,
             const std::map<std::string, std::string>& after) {
    std::set<std::string> keys;
    for (const auto& [k, v] : before) keys.insert(k);
    for (const auto& [k, v] : after) keys.insert(k);
    for (const auto& k : keys) {
        auto b = before.find(k);
        auto a = after.find(k);
        std::optional<std::vector<std::string>> bv, av;
        if (b != before.end()) bv = std::vector<std::string>{b->second};
        if (a != after.end()) av = std::vector<std::string>{a->second};
        if (bv != av) out.push_back({field, k, ValueShape::string, bv, av});
    }
}

void add_set(std::vector<ConfigDifference>& out, const std::string& field, const std::vector<std::string>& before,
             const std::vector<std::string>& after) {
    std::set<std::string> b(before.begin(), before.end()), a(after.begin(), after.end());
    std::set<std::string> keys = b;
    keys.insert(a.begin(), a.end());
    for (const auto& k : keys) {
        bool in_b = b.count(k) > 0, in_a = a.count(k) > 0;
        if (in_b == in_a) continue;
        std::optional<std::vector<std::string>> item = std::vector<std::string>{k};
        out.push_back({field, k, ValueShape::member, in_b ? item : std::nullopt, in_a ? item : std::nullopt});
    }
}

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

std::vector<ConfigDifference> diff_configs(const oci::ImageConfig& before, const oci::ImageConfig& after) {
    std::vector<ConfigDifference> out;
    const auto& b = before.config;
    const auto& a = after.config;
    add_map(out, "Env", env_map(b.env), env_map(a.env));
    add_list(out, "Entrypoint", b.entrypoint, a.entrypoint);
    add_list(out, "Cmd", b.cmd, a.cmd);
    add_string(out, "User", b.user, a.user);
    add_string(out, "WorkingDir", b.working_dir, a.working_dir);
    add_map(out, "Labels", b.labels, a.labels);
    add_set(out, "ExposedPorts", b.exposed_ports, a.exposed_ports);
    add_set(out, "Volumes", b.volumes, a.volumes);
    add_string(out, "StopSignal", b.stop_signal, a.stop_signal);
    add_string(out, "os", before.os, after.os);
    add_string(out, "architecture", before.architecture, after.architecture);
    add_string(out, "variant", before.variant, after.variant);
    add_string(out, "os.version", before.os_version, after.os_version);
    return out;
}

std::vector<HistoryDifference> diff_histories(const std::vector<oci::HistoryEntry>& before,
                                              const std::vector<oci::HistoryEntry>& after) {
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
    std::size_t i = 0, j = 0;
    while (i < rows || j < cols) {
        if (i < rows && j < cols && before[lo + i].created_by == after[lo + j].created_by) {
            ++i, ++j;
        } else if (j == cols || (i < rows && at(i + 1, j) >= at(i, j + 1))) {
            out.push_back({ChangeKind::deleted, lo + i, before[lo + i].created_by});
            ++i;
        } else {
            out.push_back({ChangeKind::added, lo + j, after[lo + j].created_by});
            ++j;
        }
    }
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
    if (!o.ignore_config) out.config = diff_configs(*before.config, *after.config);
    if (!o.ignore_history) out.history = diff_histories(before.config->history, after.config->history);
    if (!o.ignore_layers) out.layers = compare_layers(before.config->diff_ids, after.config->diff_ids);
    return out;
}

std::string normalise_path(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string_view part = path.substr(start, end - start);
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();  // above the root is the root
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        start = end + 1;
    }
    std::string out;
    for (auto p : parts) {
        if (!out.empty()) out += '/';
        out += p;
    }
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
                               std::string_view path, MergedTree& tree) {
    std::string p = normalise_path(path);
    std::vector<PathChanges> out;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        bool held = holds(tree, p);
        auto touching = changes_touching(tree.apply(layers[i], i), p, held);
        if (!touching.empty()) out.push_back({i, std::move(touching)});
    }
    return out;
}

}  // namespace tarsier::fs
