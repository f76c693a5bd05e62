#include "fs/tree.hpp"

#include <algorithm>
#include <set>

namespace tarsier::fs {

namespace {

constexpr std::string_view kWhiteout = ".wh.";
constexpr std::string_view kOpaque = ".wh..wh..opq";
constexpr std::string_view kMeta = ".wh..wh.";

std::string_view base_of(std::string_view p) {
    auto s = p.rfind('/');
    return s == std::string_view::npos ? p : p.substr(s + 1);
}

std::string dir_of(std::string_view p) {
    auto s = p.rfind('/');
    return s == std::string_view::npos ? std::string() : std::string(p.substr(0, s));
}

std::string join(const std::string& dir, std::string_view base) {
    return dir.empty() ? std::string(base) : dir + "/" + std::string(base);
}

bool same_metadata(const archive::IndexEntry& a, const archive::IndexEntry& b) {
    return a.type == b.type && a.mode == b.mode && a.uid == b.uid && a.gid == b.gid;
}

}  // namespace

char change_letter(ChangeKind k) {
    switch (k) {
        case ChangeKind::added: return 'A';
        case ChangeKind::changed: return 'C';
        case ChangeKind::deleted: return 'D';
    }
    return '?';
}

bool is_whiteout_name(std::string_view base) { return base.starts_with(kWhiteout); }

std::uint64_t MergedTree::remove_subtree(const std::string& path, bool include_self) {
    std::uint64_t bytes = 0;
    if (include_self) {
        auto it = m_nodes.find(path);
        if (it != m_nodes.end()) {
            bytes += it->second.entry.size;
            m_nodes.erase(it);
        }
    }
    std::string prefix = path.empty() ? "" : path + "/";
    auto it = m_nodes.lower_bound(prefix);
    while (it != m_nodes.end() && it->first.starts_with(prefix)) {
        bytes += it->second.entry.size;
        it = m_nodes.erase(it);
    }
    return bytes;
}

LayerChanges MergedTree::apply(const archive::LayerIndex& index, std::size_t layer) {
    LayerChanges out;
    for (const auto& name : index.escaping_names) out.notes.push_back({"escaping-name", name});
    std::map<std::string, Change> changes;

    // 1. Whiteouts act on the lower layers only, so they go first ("applied first,
    //    regardless of the ordering in which the whiteout file was encountered").
    for (const auto& e : index.entries) {
        std::string_view base = base_of(e.path);
        if (e.path.starts_with(".wh..wh.plnk/")) continue;  // AUFS hardlink store
        if (base == kOpaque) {
            std::string dir = dir_of(e.path);
            std::string prefix = dir.empty() ? "" : dir + "/";
            // Each lower child of the directory is deleted (reported at its top).
            std::set<std::string> tops;
            for (auto it = m_nodes.lower_bound(prefix); it != m_nodes.end() && it->first.starts_with(prefix); ++it) {
                std::string rest = it->first.substr(prefix.size());
                tops.insert(prefix + rest.substr(0, rest.find('/')));
            }
            for (const auto& t : tops) {
                Change c{ChangeKind::deleted, t, m_nodes.count(t) ? std::optional(m_nodes.at(t).entry) : std::nullopt, {}, 0};
                c.bytes = remove_subtree(t, true);
                changes[t] = std::move(c);
            }
            continue;
        }
        if (base.starts_with(kMeta)) continue;  // other AUFS metadata
        if (!base.starts_with(kWhiteout)) {
            if (e.type == '3' && e.dev_major == 0 && e.dev_minor == 0) out.notes.push_back({"overlay-whiteout", e.path});
            continue;
        }
        std::string_view target_base = base.substr(kWhiteout.size());
        if (target_base.empty()) {
            out.notes.push_back({"whiteout-without-name", e.path});
            continue;
        }
        std::string target = join(dir_of(e.path), target_base);
        auto it = m_nodes.find(target);
        bool has_children = false;
        {
            auto c = m_nodes.lower_bound(target + "/");
            has_children = c != m_nodes.end() && c->first.starts_with(target + "/");
        }
        if (it == m_nodes.end() && !has_children) continue;  // nothing to delete: a no-op
        Change c{ChangeKind::deleted, target, it != m_nodes.end() ? std::optional(it->second.entry) : std::nullopt, {}, 0};
        c.bytes = remove_subtree(target, true);
        changes[target] = std::move(c);
    }

    // 2. The layer's own entries, in order; the last of duplicates wins.
    std::set<std::string> seen;
    for (const auto& e : index.entries) {
        std::string_view base = base_of(e.path);
        if (base.starts_with(kWhiteout) || e.path.starts_with(".wh..wh.plnk/")) continue;
        if (!seen.insert(e.path).second) out.notes.push_back({"duplicate-entry", e.path});
        archive::IndexEntry entry = e;
        if (entry.type == '1') {
            // A hardlink shares its target's content (the target may be in a lower layer).
            auto t = m_nodes.find(entry.link);
            if (t != m_nodes.end()) entry.content = t->second.entry.content;
        }
        auto it = m_nodes.find(e.path);
        std::uint64_t removed = 0;
        std::optional<archive::IndexEntry> before;
        if (it != m_nodes.end()) {
            before = it->second.entry;
            if (!(it->second.entry.type == '5' && entry.type == '5')) removed += remove_subtree(e.path, false);
        }
        auto prior = changes.find(e.path);
        Change c;
        c.path = e.path;
        c.after = entry;
        c.bytes = entry.size;
        if (prior != changes.end() && prior->second.kind != ChangeKind::deleted) {
            // Written twice in this layer: keep what it was compared with.
            c.kind = prior->second.kind;
            c.before = prior->second.before;
        } else if (prior != changes.end()) {
            c.kind = ChangeKind::changed;  // whited out, then recreated
            c.before = prior->second.before;
        } else if (before) {
            c.kind = ChangeKind::changed;
            c.before = before;
        } else {
            c.kind = ChangeKind::added;
        }
        (void)removed;
        m_nodes[e.path] = Node{std::move(entry), layer};
        // An unchanged directory entry (a parent of something that changed) is no change.
        if (c.kind == ChangeKind::changed && c.before && c.before->type == '5' && c.after->type == '5' &&
            same_metadata(*c.before, *c.after) && prior == changes.end())
            continue;
        changes[e.path] = std::move(c);
    }
    for (auto& [p, c] : changes) out.changes.push_back(std::move(c));
    return out;
}

}  // namespace tarsier::fs
