#include "report/changes_view.hpp"

#include <ctime>

#include <fmt/format.h>

#include "report/json_writer.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "util/strings.hpp"
#include "util/plural.hpp"

namespace tarsier::report {

using query::LayerChangeSet;

namespace {

std::string describe(const archive::IndexEntry& e) {
    std::string s = fmt::format("{} {} {}:{} {}", type_name(e.type), mode_string(e.type, e.mode), e.uid, e.gid, e.size);
    if (e.type == '2') s += " -> " + util::escape_for_display(e.link());
    if (e.type == '1') s += " link to /" + util::escape_for_display(e.link());
    if (!e.xattrs().empty()) {
        s += " xattrs:";
        for (auto x : archive::xattr_names(e.xattrs())) {
            s += ' ';
            s += util::escape_for_display(x);
        }
    }
    return s;
}

std::string utc_time(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

}  // namespace

std::string mode_string(char type, std::uint32_t mode) {
    std::string s(10, '-');
    switch (type) {
        case '5': s[0] = 'd'; break;
        case '2': s[0] = 'l'; break;
        case '1': s[0] = 'h'; break;
        case '3': s[0] = 'c'; break;
        case '4': s[0] = 'b'; break;
        case '6': s[0] = 'p'; break;
    }
    const char* rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
        if (mode & (1u << (8 - i))) s[static_cast<std::size_t>(i + 1)] = rwx[i];
    if (mode & 04000) s[3] = (mode & 0100) ? 's' : 'S';
    if (mode & 02000) s[6] = (mode & 0010) ? 's' : 'S';
    if (mode & 01000) s[9] = (mode & 0001) ? 't' : 'T';
    return s;
}

std::string type_name(char t) {
    switch (t) {
        case '0': return "file";
        case '1': return "hardlink";
        case '2': return "symlink";
        case '3': return "char";
        case '4': return "block";
        case '5': return "dir";
        case '6': return "fifo";
    }
    return "other";
}

void put_entry(JsonWriter& w, const char* key, const archive::IndexEntry* e) {
    w.Key(key);
    if (!e) {
        w.Null();
        return;
    }
    w.StartObject();
    w.Key("type");
    put(w, type_name(e->type));
    w.Key("mode");
    w.Uint(e->mode);
    w.Key("uid");
    w.Int64(e->uid);
    w.Key("gid");
    w.Int64(e->gid);
    w.Key("size");
    w.Uint64(e->size);
    w.Key("mtime");
    w.Int64(e->mtime);
    w.Key("link");
    if (e->link().empty()) w.Null();
    else put(w, e->type == '1' ? fmt::format("/{}", e->link()) : std::string(e->link()));
    w.Key("content");
    if (e->content().empty()) w.Null();
    else put(w, archive::content_text(e->content()));
    w.Key("device");
    if (e->type != '3' && e->type != '4') {
        w.Null();
    } else {
        w.StartObject();
        w.Key("major");
        w.Uint(e->dev_major);
        w.Key("minor");
        w.Uint(e->dev_minor);
        w.EndObject();
    }
    w.Key("xattrs");
    w.StartArray();
    for (auto x : archive::xattr_names(e->xattrs())) put(w, x);
    w.EndArray();
    w.EndObject();
}

Tally tally(const fs::LayerChanges& changes) {
    Tally t;
    for (const auto& c : changes.changes) {
        t.counts[static_cast<int>(c.kind)]++;
        t.bytes[static_cast<int>(c.kind)] += c.bytes();
        // A file or link that replaced a directory deleted that directory's subtree.
        t.bytes[static_cast<int>(fs::ChangeKind::deleted)] += c.removed_bytes();
    }
    return t;
}

namespace {

}  // namespace

void put_layer_header(JsonWriter& w, const LayerChangeSet& l) { put_layer_id(w, l.layer); }

void put_layer_id(JsonWriter& w, const image::LayerId& id) {
    w.Key("position");
    w.Uint64(id.position);
    w.Key("digest");
    put(w, id.digest);
    w.Key("diffId");
    put(w, id.diff_id);
    w.Key("createdBy");
    put(w, id.created_by);
}

void render_changes_text(const std::vector<LayerChangeSet>& layers, bool long_form, const Sink& sink) {
    TextChunks chunks(sink);
    std::string& out = chunks.text();
    for (const auto& l : layers) {
        const Tally t = tally(l.changes);
        const auto& counts = t.counts;
        const auto& bytes = t.bytes;
        out += fmt::format("Layer {} {}", l.layer.position, l.layer.digest.empty() ? "(digest unknown)" : l.layer.digest);
        if (!l.layer.diff_id.empty() && l.layer.diff_id != l.layer.digest) out += fmt::format(" (diff_id {})", l.layer.diff_id);
        out += fmt::format("\n  {}\n",
                           util::escape_for_display(l.layer.created_by.empty() ? "(no history)" : l.layer.created_by));
        for (const auto& c : l.changes.changes) {
            out += fs::change_letter(c.kind);
            out += " /";
            out += util::escape_for_display(c.path());
            if (long_form) {
                if (c.kind == fs::ChangeKind::added) out += "  " + describe(*c.after);
                else if (c.kind == fs::ChangeKind::deleted) out += c.before() ? "  " + describe(*c.before()) : "";
                else out += "  " + (c.before() ? describe(*c.before()) : std::string("?")) + "  =>  " + describe(*c.after);
                if (c.removed_entries > 0)
                    out += fmt::format("  (replaced {} below it, {})", util::count(c.removed_entries, "entry", "entries"),
                                       human_size(static_cast<double>(c.removed_bytes()), 3));
            }
            out += "\n";
            chunks.boundary();
        }
        for (const auto& n : l.changes.notes) {
            out += fmt::format("  warning: {}: /{}\n", n.code, util::escape_for_display(n.path));
            chunks.boundary();
        }
        out += fmt::format("  {} added ({}), {} changed ({}), {} deleted ({})\n\n", counts[0],
                           human_size(static_cast<double>(bytes[0]), 3), counts[1], human_size(static_cast<double>(bytes[1]), 3),
                           counts[2], human_size(static_cast<double>(bytes[2]), 3));
    }
}

void render_changes_json(const std::vector<LayerChangeSet>& layers, const Sink& sink) {
    JsonChunks chunks(sink);
    JsonWriter& w = chunks.writer();
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("layers");
    w.StartArray();
    for (const auto& l : layers) {
        w.StartObject();
        put_layer_header(w, l);
        const Tally t = tally(l.changes);
        w.Key("changes");
        w.StartArray();
        for (const auto& c : l.changes.changes) {
            w.StartObject();
            w.Key("kind");
            put(w, std::string(1, fs::change_letter(c.kind)));
            w.Key("path");
            put(w, fmt::format("/{}", c.path()));
            w.Key("bytes");
            w.Uint64(c.bytes());
            w.Key("removedEntries");
            w.Uint64(c.removed_entries);
            w.Key("removedBytes");
            w.Uint64(c.removed_bytes());
            put_entry(w, "before", c.before());
            put_entry(w, "after", c.after);
            w.EndObject();
            chunks.boundary();
        }
        w.EndArray();
        w.Key("summary");
        w.StartObject();
        const char* names[3] = {"added", "changed", "deleted"};
        for (int k = 0; k < 3; ++k) {
            w.Key(names[k]);
            w.StartObject();
            w.Key("count");
            w.Uint64(t.counts[k]);
            w.Key("bytes");
            w.Uint64(t.bytes[k]);
            w.EndObject();
        }
        w.EndObject();
        w.Key("warnings");
        w.StartArray();
        for (const auto& n : l.changes.notes) {
            w.StartObject();
            w.Key("code");
            put(w, n.code);
            w.Key("path");
            put(w, "/" + n.path);
            w.EndObject();
            chunks.boundary();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    chunks.finish();
}

namespace {

/// The cells of a `files` row before PATH.
std::vector<std::string> file_row(const fs::Node& n) {
    const auto& e = *n.entry;
    std::string size = (e.type == '3' || e.type == '4') ? fmt::format("{},{}", e.dev_major, e.dev_minor) : std::to_string(e.size);
    return {mode_string(e.type, e.mode), fmt::format("{}/{}", e.uid, e.gid), std::move(size), utc_time(e.mtime),
            std::to_string(n.layer)};
}

}  // namespace

void render_files_text(const std::vector<const fs::Node*>& nodes, const Sink& sink, const NodeOwners* owners) {
    // Measured first, so that the rows can be written as they are made.
    std::vector<std::string> header{"MODE", "OWNER", "SIZE", "MODIFIED (UTC)", "LAYER"};
    if (owners) header.emplace_back("PACKAGE");
    auto row = [&](std::size_t i) {
        auto r = file_row(*nodes[i]);
        if (owners) r.push_back(util::escape_for_display(query::owner_names((*owners)[i])));
        return r;
    };
    StreamedColumns columns(header.size());
    columns.measure(header);
    for (std::size_t i = 0; i < nodes.size(); ++i) columns.measure(row(i));
    TextChunks chunks(sink);
    std::string& out = chunks.text();
    columns.write(out, header, "PATH");
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto* n = nodes[i];
        const auto& e = *n->entry;
        std::string path = fmt::format("/{}", util::escape_for_display(e.path()));
        if (e.type == '2') path += " -> " + util::escape_for_display(e.link());
        if (e.type == '1') path += " link to /" + util::escape_for_display(e.link());
        columns.write(out, row(i), path);
        chunks.boundary();
    }
}

void put_owners(JsonWriter& w, const std::vector<query::Owner>& owners) {
    w.Key("owners");
    w.StartArray();
    for (const auto& o : owners) {
        w.StartObject();
        w.Key("type");
        put(w, pkg::ecosystem_name(o.ecosystem));
        w.Key("name");
        put(w, o.name);
        w.Key("version");
        put(w, o.version);
        w.Key("arch");
        put(w, o.arch);
        w.EndObject();
    }
    w.EndArray();
}

void render_files_json(const std::vector<const fs::Node*>& nodes, const Sink& sink, const NodeOwners* owners) {
    JsonChunks chunks(sink);
    JsonWriter& w = chunks.writer();
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("files");
    w.StartArray();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto* n = nodes[i];
        w.StartObject();
        w.Key("path");
        put(w, fmt::format("/{}", n->path()));
        w.Key("layer");
        w.Uint64(n->layer);
        put_entry(w, "entry", n->entry);
        if (owners) put_owners(w, (*owners)[i]);
        w.EndObject();
        chunks.boundary();
    }
    w.EndArray();
    w.EndObject();
    chunks.finish();
}

}  // namespace tarsier::report
