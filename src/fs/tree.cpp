#include "fs/tree.hpp"

#include <algorithm>
#include <cstdint>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

#include "util/sorted.hpp"

namespace tarsier::fs {

// The sizes ARCHITECTURE.md ("A compact file index") and bench/README.md state.
static_assert(sizeof(Node) == 16, "a tree node is 16 bytes");
static_assert(sizeof(Change) == 32, "a change is 32 bytes of pointers");
static_assert(sizeof(std::_Rb_tree_node<Node>) == 48, "a set node of the tree is 48 bytes");

namespace {

constexpr std::string_view kWhiteout = ".wh.";
constexpr std::string_view kOpaque = ".wh..wh..opq";
constexpr std::string_view kMeta = ".wh..wh.";
constexpr std::string_view kPlnk = ".wh..wh.plnk/";

std::string_view base_of(std::string_view p) {
    auto s = p.rfind('/');
    return s == std::string_view::npos ? p : p.substr(s + 1);
}

std::string dir_of(std::string_view p) {
    auto s = p.rfind('/');
    return s == std::string_view::npos ? std::string() : std::string(p.substr(0, s));
}

std::string join(std::string_view dir, std::string_view base) {
    std::string out;
    out.reserve(dir.size() + 1 + base.size());
    out += dir;
    if (!dir.empty()) out += '/';
    out += base;
    return out;
}

/// What a layer entry's name makes of it: a path of the tree, or a marker that acts on
/// the lower layers (image-spec layer.md) or AUFS metadata, never a path.
enum class Marker { none, opaque, whiteout, aufs };

/// The marker `path` is; for a whiteout, `target` is the base name it hides (empty for a
/// whiteout without a name).
Marker marker_of(std::string_view path, std::string_view& target) {
    if (path.starts_with(kPlnk)) return Marker::aufs;  // AUFS hardlink store
    const std::string_view base = base_of(path);
    if (base == kOpaque) return Marker::opaque;
    if (base.starts_with(kMeta)) return Marker::aufs;  // other AUFS metadata
    if (!base.starts_with(kWhiteout)) return Marker::none;
    target = base.substr(kWhiteout.size());
    return Marker::whiteout;
}

bool same_metadata(const archive::IndexEntry& a, const archive::IndexEntry& b) {
    return a.type == b.type && a.mode == b.mode && a.uid == b.uid && a.gid == b.gid && a.xattrs() == b.xattrs();
}

Node& mutable_node(const Node& n) {
    // A set element's key is its path; apply() changes only what the order does not read
    // (or swaps in an entry with the same path).
    return const_cast<Node&>(n);
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

void UpperCover::add(const archive::LayerIndex& index) {
    for (const auto& e : index.entries) {
        const std::string_view path = e.path();
        std::string_view target_base;
        switch (marker_of(path, target_base)) {
            case Marker::aufs: break;
            case Marker::opaque: m_below.insert(dir_of(path)); break;
            case Marker::whiteout: {
                if (target_base.empty()) break;  // no name: a no-op
                std::string target = join(dir_of(path), target_base);
                m_exact.insert(target);
                m_below.insert(std::move(target));
                break;
            }
            case Marker::none:
                m_exact.emplace(path);
                if (e.type != '5') m_below.emplace(path);
                break;
        }
    }
}

bool UpperCover::hides(std::string_view path) const {
    if (std::string_view target; marker_of(path, target) != Marker::none) return true;
    if (m_exact.empty() && m_below.empty()) return false;
    std::string probe(path);
    if (m_exact.contains(probe)) return true;
    for (;;) {
        auto s = probe.rfind('/');
        probe.resize(s == std::string::npos ? 0 : s);
        if (m_below.contains(probe)) return true;
        if (probe.empty()) return false;
    }
}

/// One apply() call's state that remove_subtree needs.
struct MergedTree::Applying {
    std::uint32_t layer = 0;
    /// Paths this layer deleted, or wrote and then lost under a later entry, and the index
    /// of their change: a later entry of the same path folds into it.
    std::unordered_map<std::string_view, std::size_t> gone;
};

std::uint64_t MergedTree::hash_of(std::string_view s, std::uint64_t h) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

void MergedTree::unlink(const Node& n) {
    if (n.entry->type == '2') m_links.erase(HashedPath{n.path(), hash_of(n.path())});
}

void MergedTree::link(const Node& n) {
    if (n.entry->type == '2') m_links[HashedPath{n.path(), hash_of(n.path())}] = n.entry;
}

const Node* MergedTree::find(std::string_view path) const {
    auto it = m_nodes.find(path);
    return it == m_nodes.end() ? nullptr : &*it;
}

bool MergedTree::has_children(std::string_view path) const {
    std::string prefix = join(path, "");  // "" for the root
    auto it = m_nodes.lower_bound(std::string_view(prefix));
    return it != m_nodes.end() && it->path().starts_with(prefix);
}

MergedTree::Origin MergedTree::origin(const archive::IndexEntry* e) const {
    auto it = m_origins.find(e);
    return it == m_origins.end() ? Origin{e, nullptr} : it->second;
}

const archive::IndexEntry* MergedTree::rewrite(const archive::IndexEntry& e, std::string_view path,
                                               std::string_view link, std::string_view content) {
    archive::IndexEntry copy = e;
    copy.set_strings(m_strings, path, link, content, e.xattrs());
    return &m_own.emplace_back(copy);
}

MergedTree::Removed MergedTree::remove_subtree(std::string_view path, bool include_self, Applying* applying) {
    Removed r;
    auto drop = [&](NodeSet::iterator it) {
        r.entries++;
        r.bytes += it->entry->size;
        if (applying && it->layer == applying->layer && it->change != Node::kNoChange)
            applying->gone[it->path()] = it->change;
        unlink(*it);
        return m_nodes.erase(it);
    };
    if (include_self) {
        if (auto it = m_nodes.find(path); it != m_nodes.end()) drop(it);
    }
    std::string prefix = join(path, "");  // "" for the root
    auto it = m_nodes.lower_bound(std::string_view(prefix));
    while (it != m_nodes.end() && it->path().starts_with(prefix)) it = drop(it);
    return r;
}

std::optional<std::string> MergedTree::resolve_parents(std::string_view path) const {
    constexpr int kMaxLinks = 255;  // as securejoin, which umoci uses
    auto slash = path.rfind('/');
    if (slash == std::string_view::npos) return std::string(path);
    // What is still to walk: the name's parent, then each link target met, innermost last.
    // Views into the name and into the entries' targets, so at most 256 of them whatever
    // the targets' lengths.
    std::vector<std::string_view> rest{path.substr(0, slash)};
    // The path so far, and for each of its components where it ended and the hash of the
    // path up to there (so that ".." and a link found go back without rehashing).
    std::string out;
    struct Mark {
        std::size_t end;
        std::uint64_t hash;
    };
    std::vector<Mark> marks;
    int links = 0;
    while (!rest.empty()) {
        std::string_view& top = rest.back();
        auto end = top.find('/');
        std::string_view c = top.substr(0, end);
        if (end == std::string_view::npos) rest.pop_back();
        else top.remove_prefix(end + 1);
        if (c.empty() || c == ".") continue;
        if (c == "..") {  // never above the root
            if (!marks.empty()) marks.pop_back();
            out.resize(marks.empty() ? 0 : marks.back().end);
            continue;
        }
        std::uint64_t h = marks.empty() ? kHashBasis : hash_of("/", marks.back().hash);
        if (!out.empty()) out += '/';
        out += c;
        if (out.size() > archive::IndexEntry::kMaxPath) return std::nullopt;  // more than an entry holds
        h = hash_of(c, h);
        auto link = m_links.find(HashedPath{out, h});
        if (link != m_links.end()) {
            if (++links > kMaxLinks) return std::nullopt;
            out.resize(marks.empty() ? 0 : marks.back().end);
            std::string_view target = link->second->link();
            if (target.starts_with('/')) {
                out.clear();
                marks.clear();
            }
            rest.push_back(target);
            continue;
        }
        marks.push_back({out.size(), h});
    }
    return join(out, path.substr(slash + 1));
}

LayerChanges MergedTree::apply(std::shared_ptr<const archive::LayerIndex> shared, std::size_t layer_number, bool record) {
    const archive::LayerIndex& index = *shared;
    m_indexes.push_back(std::move(shared));
    LayerChanges out;
    for (const auto& name : index.escaping_names) out.notes.push_back({"escaping-name", name});
    Applying ap;
    ap.layer = static_cast<std::uint32_t>(layer_number);
    std::deque<Change>& store = out.changes;

    // Where an entry lands: its parents resolved through symlinks. Two one-slot caches (the
    // last parent resolved, the last directory written) make a layer of many files in one
    // directory, or a chain of thousands of nested directories, cost one lookup an entry.
    struct Slot {
        std::string raw, resolved;
        bool valid = false;
    };
    Slot last_parent, last_dir;
    // `path` itself when its parent resolves to where its name says (most entries: no
    // copy), else the landed path, kept in `landed`.
    auto land = [&](std::string_view path, std::string& landed) -> std::string_view {
        auto slash = path.rfind('/');
        if (slash == std::string_view::npos) return path;
        std::string_view parent = path.substr(0, slash);
        std::string_view base = path.substr(slash + 1);
        const Slot* hit = nullptr;
        for (const Slot* s : {&last_parent, &last_dir})
            if (!hit && s->valid && s->raw == parent) hit = s;
        if (hit) {
            if (hit->resolved == hit->raw) return path;
            landed = join(hit->resolved, base);
        } else if (auto r = resolve_parents(path); r && r->size() <= archive::IndexEntry::kMaxPath) {
            last_parent = Slot{std::string(parent), dir_of(*r), true};
            if (*r == path) return path;
            landed = std::move(*r);
        } else {
            // A loop, or links that expand the path beyond what an entry holds: the entry
            // stays where its name says.
            out.notes.push_back({"symlink-loop", std::string(path)});
            return path;
        }
        if (landed.size() > archive::IndexEntry::kMaxPath) {
            out.notes.push_back({"symlink-loop", std::string(path)});
            return path;
        }
        return landed;
    };
    auto forget = [&] { last_parent.valid = last_dir.valid = false; };
    auto deleted = [&](std::string_view path, const archive::IndexEntry* before, std::uint64_t bytes) {
        if (!record) return;
        Change c;
        c.kind = ChangeKind::deleted;
        if (before) {
            c.set_before(before);
        } else {
            archive::IndexEntry placeholder;
            placeholder.type = '5';
            c.set_implied(rewrite(placeholder, path, {}, {}));
        }
        c.set_bytes(bytes);
        store.push_back(c);
        ap.gone[c.path()] = store.size() - 1;
    };

    // AUFS hardlink storage (".wh..wh.plnk/"): never a file, but hardlinks point into it.
    std::map<std::string_view, const archive::IndexEntry*> plnk;
    for (const auto& e : index.entries)
        if (e.path().starts_with(kPlnk)) plnk[e.path()] = &e;

    std::string scratch, landed_path;  // land()'s buffers

    // 1. Whiteouts act on the lower layers only, so they go first ("applied first,
    //    regardless of the ordering in which the whiteout file was encountered").
    for (const auto& e : index.entries) {
        std::string_view target_base;
        const Marker marker = marker_of(e.path(), target_base);
        if (marker == Marker::aufs) continue;
        if (marker == Marker::opaque) {
            std::string prefix = join(dir_of(land(e.path(), scratch)), "");
            // Each lower child of the directory is deleted (reported at its top).
            std::set<std::string> tops;
            for (auto it = m_nodes.lower_bound(std::string_view(prefix)); it != m_nodes.end() && it->path().starts_with(prefix); ++it) {
                std::string_view rest = it->path().substr(prefix.size());
                tops.insert(prefix + std::string(rest.substr(0, rest.find('/'))));
            }
            for (const auto& t : tops) {
                const Node* n = find(t);
                const archive::IndexEntry* before = n ? n->entry : nullptr;
                deleted(t, before, remove_subtree(t, true, nullptr).bytes);
            }
            forget();
            continue;
        }
        if (marker == Marker::none) {
            if (e.type == '3' && e.dev_major == 0 && e.dev_minor == 0) out.notes.push_back({"overlay-whiteout", std::string(e.path())});
            continue;
        }
        if (target_base.empty()) {
            out.notes.push_back({"whiteout-without-name", std::string(e.path())});
            continue;
        }
        std::string target(land(join(dir_of(e.path()), target_base), scratch));
        const Node* n = find(target);
        if (!n && !has_children(target)) continue;  // nothing to delete: a no-op
        const archive::IndexEntry* before = n ? n->entry : nullptr;
        deleted(target, before, remove_subtree(target, true, nullptr).bytes);
        forget();
    }

    // 2. The layer's own entries, in order; the last of duplicates wins. Entries mostly
    // come in path order: the place just after the node written last is tried before a
    // search of the whole tree.
    auto last = m_nodes.end();
    for (const auto& e : index.entries) {
        if (std::string_view target; marker_of(e.path(), target) != Marker::none) continue;
        const std::string_view path = land(e.path(), landed_path);
        const archive::IndexEntry* entry = &e;
        if (e.type == '1') {
            // A hardlink shares its target's content; the target may be in a lower layer or
            // in AUFS storage.
            if (auto p = plnk.find(e.link()); p != plnk.end()) {
                entry = rewrite(e, path, e.link(), p->second->content());
                m_origins[entry] = Origin{&e, p->second};
            } else {
                std::string target(land(e.link(), scratch));
                const Node* t = find(target);
                entry = rewrite(e, path, target, t ? t->entry->content() : std::string_view());
                m_origins[entry] = Origin{&e, t ? t->entry : nullptr};
            }
        } else if (path != e.path()) {
            entry = rewrite(e, path, e.link(), e.content());
            m_origins[entry] = Origin{&e, nullptr};
        }
        auto it = last != m_nodes.end() && last->path() < path
                      ? util::lower_bound_from(m_nodes, std::next(last), path, [](const Node& n) { return n.path(); })
                      : m_nodes.lower_bound(path);
        Removed removed;
        const archive::IndexEntry* before = nullptr;
        std::size_t prior = Node::kNoChange;
        if (it != m_nodes.end() && it->path() == path) {
            Node& node = mutable_node(*it);
            // Only this loop writes nodes of this layer: one already here is a duplicate.
            if (node.layer == ap.layer) {
                out.notes.push_back({"duplicate-entry", std::string(path)});
                prior = node.change;
            }
            before = node.entry;
            if (!(before->type == '5' && entry->type == '5')) removed = remove_subtree(path, false, &ap);
            unlink(node);
            node.entry = entry;  // the same path: the order holds
            node.layer = ap.layer;
            node.change = Node::kNoChange;
            link(node);
        } else {
            it = m_nodes.emplace_hint(it, Node{entry, ap.layer, Node::kNoChange});
            link(*it);
            if (record)
                if (auto g = ap.gone.find(std::string_view(path)); g != ap.gone.end()) prior = g->second;
        }
        last = it;
        if (entry->type == '2' || removed.entries > 0) forget();
        if (entry->type == '5') last_dir = Slot{std::string(e.path()), std::string(path), true};
        if (!record) continue;
        Change c;
        c.after = entry;
        c.removed_entries = static_cast<std::uint32_t>(std::min<std::uint64_t>(removed.entries, UINT32_MAX));
        c.set_bytes(removed.bytes);
        if (prior < store.size() && store[prior].path() == c.path()) {
            const Change& p = store[prior];
            if (p.kind != ChangeKind::deleted) {
                // Written twice in this layer: keep what it was compared with.
                c.kind = p.kind;
                c.set_before(p.before());
                c.removed_entries += p.removed_entries;
                c.set_bytes(c.removed_bytes() + p.removed_bytes());
            } else {
                c.kind = ChangeKind::changed;  // whited out, then recreated
                c.set_before(p.before());
            }
            store[prior] = c;
            mutable_node(*it).change = static_cast<std::uint32_t>(prior);
            continue;
        }
        if (before) {
            c.kind = ChangeKind::changed;
            c.set_before(before);
            // An unchanged directory entry (a parent of something that changed) is no change.
            if (before->type == '5' && entry->type == '5' && same_metadata(*before, *entry)) continue;
        } else {
            c.kind = ChangeKind::added;
        }
        store.push_back(c);
        mutable_node(*it).change = static_cast<std::uint32_t>(store.size() - 1);
    }
    auto by_path = [](const Change& a, const Change& b) { return a.path() < b.path(); };
    if (!std::is_sorted(store.begin(), store.end(), by_path)) std::sort(store.begin(), store.end(), by_path);
    return out;
}

}  // namespace tarsier::fs
