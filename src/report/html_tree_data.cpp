#include "report/html_tree_data.hpp"

#include <map>
#include <string>
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

/// Every path any layer touched, and each directory above one, sorted (a parent sorts
/// before its children), with its events in layer order.
using Paths = std::map<std::string, std::vector<Event>, std::less<>>;

void add_with_parents(Paths& paths, std::string_view path, const Event& e) {
    auto [it, inserted] = paths.try_emplace(std::string(path));
    it->second.push_back(e);
    if (!inserted) return;
    for (auto slash = path.rfind('/'); slash != std::string_view::npos; slash = path.rfind('/')) {
        path = path.substr(0, slash);
        if (!paths.try_emplace(std::string(path)).second) break;
    }
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
        Paths paths;
        for (std::size_t l = 0; l < page.files->changes.layers.size(); ++l)
            for (const auto& c : page.files->changes.layers[l].changes.changes) {
                Event e;
                e.layer = static_cast<std::uint32_t>(l);
                e.kind = fs::change_letter(c.kind);
                e.type = type_letter(c.kind == fs::ChangeKind::deleted ? c.before() : c.after);
                e.size = c.bytes();
                add_with_parents(paths, c.path(), e);
            }
        // Node 0 is the root; a node's parent is the index of its directory.
        std::map<std::string_view, std::size_t, std::less<>> index{{"", 0}};
        w.StartArray();
        w.Int(-1);
        put(w, "");
        w.EndArray();
        std::size_t next = 1;
        for (const auto& [path, events] : paths) {
            auto slash = path.rfind('/');
            std::string_view dir = slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, slash);
            std::string_view name = slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
            index.emplace(path, next++);
            w.StartArray();
            w.Uint64(index.at(dir));
            put(w, util::escape_for_display(name));
            for (const auto& e : events) {
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
