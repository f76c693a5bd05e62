#include "fs/tree.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

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
    return a.type == b.type && a.mode == b.mode && a.uid == b.uid && a.gid == b.gid && a.xattrs == b.xattrs;
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

MergedTree::Removed MergedTree::remove_subtree(const std::string& path, bool include_self) {
    Removed r;
    if (include_self) {
        auto it = m_nodes.find(path);
        if (it != m_nodes.end()) {
            r.entries++;
            r.bytes += it->second.entry.size;
            m_nodes.erase(it);
        }
    }
    std::string prefix = path.empty() ? "" : path + "/";
    auto it = m_nodes.lower_bound(prefix);
    while (it != m_nodes.end() && it->first.starts_with(prefix)) {
        r.entries++;
        r.bytes += it->second.entry.size;
        it = m_nodes.erase(it);
    }
    return r;
}

std::optional<std::string> MergedTree::resolve_parents(const std::string& path) const {
    constexpr int kMaxLinks = 255;  // as securejoin, which umoci uses
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return path;
    // Components still to walk, last first.
    std::vector<std::string> pending;
    auto push = [&pending](std::string_view p) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (start <= p.size()) {
            auto end = p.find('/', start);
            if (end == std::string_view::npos) end = p.size();
            parts.emplace_back(p.substr(start, end - start));
            start = end + 1;
        }
        pending.insert(pending.end(), std::make_move_iterator(parts.rbegin()), std::make_move_iterator(parts.rend()));
    };
    push(std::string_view(path).substr(0, slash));
    std::string out;
    int links = 0;
    while (!pending.empty()) {
        std::string c = std::move(pending.back());
        pending.pop_back();
        if (c.empty() || c == ".") continue;
        if (c == "..") {  // never above the root
            out = dir_of(out);
            continue;
        }
        std::string next = join(out, c);
        auto it = m_nodes.find(next);
        if (it != m_nodes.end() && it->second.entry.type == '2') {
            if (++links > kMaxLinks) return std::nullopt;
            const std::string& target = it->second.entry.link;
            if (target.starts_with('/')) out.clear();
            push(target);
            continue;
        }
        out = std::move(next);
    }
    return join(out, std::string_view(path).substr(slash + 1));
}

LayerChanges MergedTree::apply(const archive::LayerIndex& index, std::size_t layer, bool record) {
    LayerChanges out;
    for (const auto& name : index.escaping_names) out.notes.push_back({"escaping-name", name});
    // The changes so far, one per path; a deque keeps each path (the key's bytes) in place.
    std::deque<Change> store;
    std::unordered_map<std::string_view, std::size_t> changes;
    auto prior_of = [&](const std::string& path) -> Change* {
        auto it = changes.find(path);
        return it == changes.end() ? nullptr : &store[it->second];
    };
    auto put = [&](Change&& c) {
        if (!record) return;
        if (auto it = changes.find(c.path); it != changes.end()) {
            std::size_t i = it->second;
            changes.erase(it);
            store[i] = std::move(c);
            changes.emplace(store[i].path, i);
        } else {
            store.push_back(std::move(c));
            changes.emplace(store.back().path, store.size() - 1);
        }
    };

    // Where an entry lands: its parents resolved through symlinks. Two one-slot caches (the
    // last parent resolved, the last directory written) make a layer of many files in one
    // directory, or a chain of thousands of nested directories, cost one lookup an entry.
    struct Slot {
        std::string raw, resolved;
        bool valid = false;
    };
    Slot last_parent, last_dir;
    auto land = [&](const std::string& path) -> std::string {
        auto slash = path.rfind('/');
        if (slash == std::string::npos) return path;
        std::string_view parent = std::string_view(path).substr(0, slash);
        std::string_view base = std::string_view(path).substr(slash + 1);
        for (const Slot* s : {&last_parent, &last_dir})
            if (s->valid && s->raw == parent) return join(s->resolved, base);
        auto r = resolve_parents(path);
        if (!r) {
            out.notes.push_back({"symlink-loop", path});
            return path;
        }
        last_parent = Slot{std::string(parent), dir_of(*r), true};
        return *r;
    };
    auto forget = [&] { last_parent.valid = last_dir.valid = false; };

    // AUFS hardlink storage (".wh..wh.plnk/"): never a file, but hardlinks point into it.
    std::map<std::string, const archive::IndexEntry*> plnk;
    for (const auto& e : index.entries)
        if (e.path.starts_with(".wh..wh.plnk/")) plnk[e.path] = &e;

    // 1. Whiteouts act on the lower layers only, so they go first ("applied first,
    //    regardless of the ordering in which the whiteout file was encountered").
    for (const auto& e : index.entries) {
        std::string_view base = base_of(e.path);
        if (e.path.starts_with(".wh..wh.plnk/")) continue;  // AUFS hardlink store
        if (base == kOpaque) {
            std::string dir = dir_of(land(e.path));
            std::string prefix = dir.empty() ? "" : dir + "/";
            // Each lower child of the directory is deleted (reported at its top).
            std::set<std::string> tops;
            for (auto it = m_nodes.lower_bound(prefix); it != m_nodes.end() && it->first.starts_with(prefix); ++it) {
                std::string rest = it->first.substr(prefix.size());
                tops.insert(prefix + rest.substr(0, rest.find('/')));
            }
            for (const auto& t : tops) {
                Change c{ChangeKind::deleted, t, {}, {}, 0};
                if (record && m_nodes.count(t)) c.before = m_nodes.at(t).entry;
                c.bytes = remove_subtree(t, true).bytes;
                put(std::move(c));
            }
            forget();
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
        std::string target = land(join(dir_of(e.path), target_base));
        auto it = m_nodes.find(target);
        bool has_children = false;
        {
            auto c = m_nodes.lower_bound(target + "/");
            has_children = c != m_nodes.end() && c->first.starts_with(target + "/");
        }
        if (it == m_nodes.end() && !has_children) continue;  // nothing to delete: a no-op
        Change c{ChangeKind::deleted, target, {}, {}, 0};
        if (record && it != m_nodes.end()) c.before = it->second.entry;
        c.bytes = remove_subtree(target, true).bytes;
        put(std::move(c));
        forget();
    }

    // 2. The layer's own entries, in order; the last of duplicates wins.
    for (const auto& e : index.entries) {
        std::string_view base = base_of(e.path);
        if (base.starts_with(kWhiteout) || e.path.starts_with(".wh..wh.plnk/")) continue;
        std::string path = land(e.path);
        archive::IndexEntry entry = e;
        if (entry.type == '1') {
            // A hardlink shares its target's content; the target may be in a lower layer or
            // in AUFS storage.
            if (auto p = plnk.find(entry.link); p != plnk.end()) {
                entry.content = p->second->content;
            } else {
                entry.link = land(entry.link);
                if (auto t = m_nodes.find(entry.link); t != m_nodes.end()) entry.content = t->second.entry.content;
            }
        }
        auto it = m_nodes.find(path);
        Removed removed;
        std::optional<archive::IndexEntry> before;
        if (it != m_nodes.end()) {
            // Only this loop writes nodes of this layer: one already here is a duplicate.
            if (it->second.layer == layer) out.notes.push_back({"duplicate-entry", path});
            if (record) before = it->second.entry;
            if (!(it->second.entry.type == '5' && entry.type == '5')) removed = remove_subtree(path, false);
            it->second.layer = layer;
        }
        if (entry.type == '2' || removed.entries > 0) forget();
        if (entry.type == '5') last_dir = Slot{e.path, path, true};
        if (!record) {
            entry.path = std::move(path);
            auto key = entry.path;
            m_nodes.insert_or_assign(std::move(key), Node{std::move(entry), layer});
            continue;
        }
        entry.path = path;
        Change* prior = prior_of(path);
        Change c;
        c.path = path;
        c.after = entry;
        c.bytes = entry.size;
        c.removed_entries = removed.entries;
        c.removed_bytes = removed.bytes;
        if (prior && prior->kind != ChangeKind::deleted) {
            // Written twice in this layer: keep what it was compared with.
            c.kind = prior->kind;
            c.before = prior->before;
            c.removed_entries += prior->removed_entries;
            c.removed_bytes += prior->removed_bytes;
        } else if (prior) {
            c.kind = ChangeKind::changed;  // whited out, then recreated
            c.before = prior->before;
        } else if (before) {
            c.kind = ChangeKind::changed;
            c.before = std::move(before);
        } else {
            c.kind = ChangeKind::added;
        }
        m_nodes.insert_or_assign(std::move(path), Node{std::move(entry), layer});
        // An unchanged directory entry (a parent of something that changed) is no change.
        if (c.kind == ChangeKind::changed && c.before && c.before->type == '5' && c.after->type == '5' &&
            same_metadata(*c.before, *c.after) && !prior)
            continue;
        put(std::move(c));
    }
    changes.clear();  // its keys view the paths that sorting moves
    std::sort(store.begin(), store.end(), [](const Change& a, const Change& b) { return a.path < b.path; });
    out.changes = std::move(store);
    return out;
}

}  // namespace tarsier::fs
