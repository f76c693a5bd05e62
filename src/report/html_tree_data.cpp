#include "report/html_tree_data.hpp"

#include <algorithm>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "report/json_writer.hpp"
#include "util/strings.hpp"

namespace tarsier::report::html {

namespace {

/// What one layer did to one path.
struct Event {
    std::uint32_t layer = 0;
    char kind = 'A';  ///< A, C, D
    char type = 'f';  ///< f file, d directory, l symlink, h hardlink, o other
    std::uint64_t size = 0;
};

char type_letter(const archive::IndexEntry* e) {
    if (!e) return 'd';  // a deleted directory no entry made
    switch (e->type) {
        case '0': return 'f';
        case '5': return 'd';
        case '2': return 'l';
        case '1': return 'h';
        default: return 'o';
    }
}

/// One event of one path; parents that no layer touched have none.
struct Item {
    std::string_view path;  ///< into the layer indexes or the merged tree (alive as long as the page)
    Event event;
    bool has_event = true;
};

bool by_path(const Item& a, const Item& b) { return a.path < b.path; }

/// Where the first of items[0, end) (sorted by path) with `path` or a later one is.
std::size_t first_at(const std::vector<Item>& items, std::size_t end, std::string_view path) {
    auto it = std::lower_bound(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(end), path,
                               [](const Item& a, std::string_view b) { return a.path < b; });
    return static_cast<std::size_t>(it - items.begin());
}

/// Every path any layer touched, and each directory above one, sorted by path (a parent
/// sorts before its children; one path's events in layer order). Each layer's changes are
/// sorted already: they are merged, not sorted again, and no path is copied.
std::vector<Item> tree_items(const query::ChangesReport& changes) {
    std::vector<Item> items;
    std::size_t total = 0;
    for (const auto& l : changes.layers) total += l.changes.changes.size();
    items.reserve(total);
    for (std::size_t l = 0; l < changes.layers.size(); ++l) {
        const std::size_t mid = items.size();
        for (const auto& c : changes.layers[l].changes.changes) {
            Event e;
            e.layer = static_cast<std::uint32_t>(l);
            e.kind = fs::change_letter(c.kind);
            e.type = type_letter(c.kind == fs::ChangeKind::deleted ? c.before() : c.after);
            e.size = c.bytes();
            items.push_back(Item{c.path(), e});
        }
        std::inplace_merge(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(mid), items.end(), by_path);
    }
    // Each path's directories, up to the first one that is a path already: consecutive
    // paths mostly share their directory, which is then walked once.
    auto is_item = [&](std::string_view p) {
        const std::size_t at = first_at(items, total, p);
        return at < total && items[at].path == p;
    };
    std::pmr::monotonic_buffer_resource arena;  // the set's nodes, freed at once
    std::pmr::unordered_set<std::string_view> added(&arena);  // the directories of `parents`
    std::vector<Item> parents;
    std::optional<std::string_view> walked;  // the last directory walked: its parents are all there
    for (std::size_t k = 0; k < total; ++k) {
        if (k > 0 && items[k].path == items[k - 1].path) continue;
        const auto slash = items[k].path.rfind('/');
        if (slash == std::string_view::npos) continue;  // at the root
        const std::string_view dir = items[k].path.substr(0, slash);
        if (walked == dir) continue;
        walked = dir;
        for (std::string_view p = dir;;) {
            if (is_item(p) || !added.insert(p).second) break;
            parents.push_back(Item{p, Event{}, false});
            auto slash = p.rfind('/');
            if (slash == std::string_view::npos) break;
            p = p.substr(0, slash);
        }
    }
    std::sort(parents.begin(), parents.end(), by_path);
    items.insert(items.end(), parents.begin(), parents.end());
    std::inplace_merge(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(total), items.end(), by_path);
    return items;
}

}  // namespace

void tree_data(const query::ReportPage& page, const Sink& sink) {
    JsonChunks chunks(sink);
    JsonWriter& w = chunks.writer();
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("layers");
    w.StartArray();
    for (const auto& r : page.layers.rows) {
        w.StartObject();
        w.Key("position");
        w.Uint64(r.position);
        w.Key("digest");
        put(w, r.digest);
        w.Key("createdBy");
        put(w, util::escape_for_display(r.created_by));
        w.EndObject();
    }
    w.EndArray();
    w.Key("nodes");
    w.StartArray();
    if (page.files) {
        const auto items = tree_items(page.files->changes);
        // Node 0 is the root; a node's parent is the index of its directory, found among
        // the sorted paths (once for a run of paths in one directory).
        std::vector<std::size_t> node_of(items.size());  // each item's node
        w.StartArray();
        w.Int(-1);
        put(w, "");
        w.EndArray();
        std::size_t next = 1;
        std::string_view last_dir;
        std::size_t last_parent = 0;
        for (std::size_t k = 0; k < items.size();) {
            const std::string_view path = items[k].path;
            auto slash = path.rfind('/');
            std::string_view dir = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
            std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
            if (dir.empty()) {
                last_parent = 0;
            } else if (dir != last_dir) {
                last_parent = node_of[first_at(items, k, dir)];
            }
            last_dir = dir;
            const std::size_t node = next++;
            w.StartArray();
            w.Uint64(last_parent);
            put(w, util::escape_for_display(name));
            for (; k < items.size() && items[k].path == path; ++k) {
                node_of[k] = node;
                if (!items[k].has_event) continue;
                const auto& e = items[k].event;
                w.Uint(e.layer);
                char code[3] = {e.kind, e.type, 0};
                put(w, code);
                w.Uint64(e.size);
            }
            w.EndArray();
            chunks.boundary();
        }
    }
    w.EndArray();
    w.EndObject();
    chunks.finish();
}

}  // namespace tarsier::report::html
