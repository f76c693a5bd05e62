#include "report/diff_view.hpp"

#include <ctime>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "report/json_writer.hpp"
#include "report/package_change_view.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "report/width.hpp"
#include "util/strings.hpp"

namespace tarsier::report {

using query::DiffReport;
using query::DiffSide;
using query::LayerChangeSet;

namespace {

std::string utc_seconds(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    if (!gmtime_r(&tt, &tm)) return std::to_string(t);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

std::string shown_link(const archive::IndexEntry& e) {
    return util::escape_for_display(e.type == '1' ? "/" + std::string(e.link()) : std::string(e.link()));
}

std::string describe(const archive::IndexEntry& e) {
    std::string s = fmt::format("{} {} {}:{} {}", type_name(e.type), mode_string(e.type, e.mode), e.uid, e.gid, e.size);
    if (e.type == '2') s += fmt::format(" -> {}", shown_link(e));
    if (e.type == '1') s += fmt::format(" link to {}", shown_link(e));
    return s;
}

/// "xxh128:92c033359c94": the algorithm and 12 hex digits, like docker's short IDs.
std::string short_content(std::string_view raw) {
    if (raw.empty()) return "none";
    std::string c = archive::content_text(raw);
    auto colon = c.find(':');
    std::size_t keep = colon == std::string::npos ? 12 : colon + 1 + 12;
    return c.substr(0, keep);
}

/// "mode -rw-r--r-- => -rwxr-xr-x"
std::string describe_aspect(fs::Aspect a, const archive::IndexEntry& b, const archive::IndexEntry& n) {
    std::string name(fs::aspect_name(a));
    switch (a) {
        case fs::Aspect::type: return fmt::format("{} {} => {}", name, type_name(b.type), type_name(n.type));
        case fs::Aspect::content: return fmt::format("{} {} => {}", name, short_content(b.content()), short_content(n.content()));
        case fs::Aspect::size: return fmt::format("{} {} => {}", name, b.size, n.size);
        case fs::Aspect::mode:
            return fmt::format("{} {} => {}", name, mode_string(b.type, b.mode), mode_string(n.type, n.mode));
        case fs::Aspect::owner: return fmt::format("{} {}:{} => {}:{}", name, b.uid, b.gid, n.uid, n.gid);
        case fs::Aspect::link:
            return fmt::format("{} {} => {}", name, b.link().empty() ? "none" : shown_link(b),
                               n.link().empty() ? "none" : shown_link(n));
        case fs::Aspect::device:
            return fmt::format("{} {},{} => {},{}", name, b.dev_major, b.dev_minor, n.dev_major, n.dev_minor);
        case fs::Aspect::mtime: return fmt::format("{} {} => {}", name, utc_seconds(b.mtime), utc_seconds(n.mtime));
        case fs::Aspect::xattrs: {
            auto list = [](std::string_view xattrs) {
                auto v = archive::xattr_names(xattrs);
                std::string s = "[";
                for (std::size_t i = 0; i < v.size(); ++i) {
                    if (i) s += ' ';
                    s += util::escape_for_display(v[i]);
                }
                return s + "]";
            };
            return fmt::format("{} {} => {}", name, list(b.xattrs()), list(n.xattrs()));
        }
    }
    return name;
}

std::string quoted(const std::string& s) { return fmt::format("\"{}\"", util::escape_for_display(s)); }

std::string config_value(fs::ValueShape shape, const std::vector<std::string>& v) {
    if (shape == fs::ValueShape::list) {
        std::string s = "[";
        for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + quoted(v[i]);
        return s + "]";
    }
    if (v.empty()) return {};
    switch (shape) {
        case fs::ValueShape::boolean:
        case fs::ValueShape::number: return v.front();
        case fs::ValueShape::duration: return go_duration(std::chrono::nanoseconds(std::stoll(v.front())));
        default: return quoted(v.front());
    }
}

/// "Env FOO  \"1\" => \"2\"", "Volumes /data", "Healthcheck.Interval  30s => 10s".
std::string config_change(const fs::ConfigDifference& c) {
    std::string out = c.field;
    if (c.shape == fs::ValueShape::member) return fmt::format("{} {}", out, util::escape_for_display(c.key));
    if (!c.key.empty()) out += fmt::format(" {}", util::escape_for_display(c.key));
    if (c.before && c.after)
        return fmt::format("{}  {} => {}", out, config_value(c.shape, *c.before), config_value(c.shape, *c.after));
    return fmt::format("{}  {}", out, config_value(c.shape, c.before ? *c.before : *c.after));
}

std::vector<std::string> ignored_names(const fs::ImageDiffOptions& o) {
    std::vector<std::string> out;
    if (o.files.ignore_timestamps) out.emplace_back("timestamps");
    if (o.files.ignore_owner) out.emplace_back("owner");
    if (o.files.ignore_mode) out.emplace_back("mode");
    if (o.ignore_config) out.emplace_back("config");
    if (o.ignore_history) out.emplace_back("history");
    if (o.ignore_layers) out.emplace_back("layers");
    if (o.ignore_created) out.emplace_back("created");
    if (o.ignore_docker_version) out.emplace_back("docker-version");
    return out;
}

std::string side_line(const char* label, const DiffSide& s, bool no_trunc) {
    std::string refs;
    for (const auto& r : s.references) refs += fmt::format("  {}", util::escape_for_display(r));
    return fmt::format("{}: {}  {}{}\n", label, util::escape_for_display(s.archive), no_trunc ? s.image_id : digest::short_id(s.image_id), refs);
}

std::string position(const std::optional<std::size_t>& p) { return p ? std::to_string(*p) : "-"; }

void put_optional_position(JsonWriter& w, const char* key, const std::optional<std::size_t>& p) {
    w.Key(key);
    if (p) w.Uint64(*p);
    else w.Null();
}

void put_config_value(JsonWriter& w, const char* key, fs::ValueShape shape, const std::optional<std::vector<std::string>>& v) {
    w.Key(key);
    if (!v) {
        w.Null();
    } else if (shape == fs::ValueShape::list) {
        w.StartArray();
        for (const auto& s : *v) put(w, s);
        w.EndArray();
    } else if (v->empty()) {
        put(w, std::string());
    } else if (shape == fs::ValueShape::boolean) {
        w.Bool(v->front() == "true");
    } else if (shape == fs::ValueShape::number || shape == fs::ValueShape::duration) {
        w.Int64(std::stoll(v->front()));
    } else {
        put(w, v->front());
    }
}

/// {"kind", "field", "key", "before", "after"}; `with_key` false for history fields.
void put_config_difference(JsonWriter& w, const fs::ConfigDifference& c, bool with_key) {
    w.StartObject();
    if (with_key) {
        w.Key("kind");
        put(w, std::string(1, fs::change_letter(c.kind())));
    }
    w.Key("field");
    put(w, c.field);
    if (with_key) {
        w.Key("key");
        if (c.key.empty()) w.Null();
        else put(w, c.key);
    }
    put_config_value(w, "before", c.shape, c.before);
    put_config_value(w, "after", c.shape, c.after);
    w.EndObject();
}

std::string letter(fs::ChangeKind k) { return std::string(1, fs::change_letter(k)); }

/// How many differences of each kind a list (files or history steps) holds.
struct KindCounts {
    std::size_t added = 0, changed = 0, removed = 0;
};

template <typename Difference>
KindCounts count_kinds(const std::vector<Difference>& differences) {
    KindCounts c;
    for (const auto& d : differences) {
        if (d.kind == fs::ChangeKind::added) ++c.added;
        else if (d.kind == fs::ChangeKind::deleted) ++c.removed;
        else ++c.changed;
    }
    return c;
}

struct LayerCounts {
    std::size_t shared = 0, only_old = 0, only_new = 0;
};

LayerCounts count_layers(const fs::LayerComparison& l) {
    LayerCounts c;
    for (const auto& p : l.layers) {
        if (p.before && p.after) ++c.shared;
        else if (p.before) ++c.only_old;
        else ++c.only_new;
    }
    return c;
}

}  // namespace

void render_diff_text(const DiffReport& r, const Sink& sink, bool no_trunc) {
    const auto& d = r.differences;
    const auto& o = r.options;
    TextChunks chunks(sink);
    std::string& out = chunks.text();
    out += side_line("old", r.before, no_trunc) + side_line("new", r.after, no_trunc);

    KindCounts fc = count_kinds(d.files);
    out += fmt::format("\nFiles: {} changed, {} added, {} removed\n", fc.changed, fc.added, fc.removed);
    for (const auto& f : d.files) {
        out += fmt::format("{} /{}  ", fs::change_letter(f.kind), util::escape_for_display(f.path));
        if (f.kind == fs::ChangeKind::added) {
            out += describe(*f.after);
        } else if (f.kind == fs::ChangeKind::deleted) {
            out += describe(*f.before);
        } else {
            for (std::size_t i = 0; i < f.aspects.size(); ++i)
                out += (i ? "; " : "") + describe_aspect(f.aspects[i], *f.before, *f.after);
        }
        out += "\n";
        chunks.boundary();
    }

    if (!o.ignore_config) {
        out += fmt::format("\nConfig: {} difference{}\n", d.config.size(), d.config.size() == 1 ? "" : "s");
        for (const auto& c : d.config) out += fmt::format("{} {}\n", fs::change_letter(c.kind()), config_change(c));
    }

    if (!o.ignore_history) {
        KindCounts hc = count_kinds(d.history);
        out += fmt::format("\nHistory: {} removed, {} added, {} changed\n", hc.removed, hc.added, hc.changed);
        for (const auto& h : d.history) {
            out += fmt::format("{} [{}] {}", fs::change_letter(h.kind), h.position, util::escape_for_display(h.created_by));
            for (std::size_t i = 0; i < h.fields.size(); ++i) out += (i ? "; " : "  ") + config_change(h.fields[i]);
            out += "\n";
        }
    }

    if (!o.ignore_layers) {
        LayerCounts lc = count_layers(d.layers);
        out += fmt::format("\nLayers: {} shared ({} in common at the base), {} only in old, {} only in new\n", lc.shared,
                           d.layers.common_base, lc.only_old, lc.only_new);
        if (!d.layers.equal) {
            for (const auto& p : d.layers.layers) {
                char mark = p.before && p.after ? '=' : p.before ? 'D' : 'A';
                out += fmt::format("{} {}  old {}  new {}\n", mark, util::escape_for_display(p.diff_id), position(p.before),
                                   position(p.after));
            }
        }
    }

    if (r.has_packages) {
        using query::PackageChangeKind;
        const auto& p = r.packages;
        out += fmt::format("\nPackages: {} installed, {} upgraded, {} downgraded, {} removed, {} changed\n",
                           count_of(p, PackageChangeKind::installed), count_of(p, PackageChangeKind::upgraded),
                           count_of(p, PackageChangeKind::downgraded), count_of(p, PackageChangeKind::removed),
                           count_of(p, PackageChangeKind::changed));
        for (const auto& c : p) out += package_change_line(c) + "\n";
        for (const auto& problem : r.package_problems)
            out += fmt::format("problem: {}\n", util::escape_for_display(problem));
    }

    auto ignored = ignored_names(o);
    for (const auto& f : o.ignore_fields) ignored.push_back("field " + util::escape_for_display(f));
    std::string note;
    for (std::size_t i = 0; i < ignored.size(); ++i) note += (i ? ", " : " (ignoring ") + ignored[i];
    if (!note.empty()) note += ")";
    out += fmt::format("\nThe images {}{}.\n", r.differ() ? "differ" : "are equal", note);
}

void render_diff_json(const DiffReport& r, const Sink& sink) {
    const auto& d = r.differences;
    const auto& o = r.options;
    JsonChunks chunks(sink);
    JsonWriter& w = chunks.writer();
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    for (const auto& [key, side] : {std::pair{"old", &r.before}, std::pair{"new", &r.after}}) {
        w.Key(key);
        w.StartObject();
        w.Key("archive");
        put(w, side->archive);
        w.Key("image");
        put(w, side->image_id);
        w.Key("references");
        w.StartArray();
        for (const auto& ref : side->references) put(w, ref);
        w.EndArray();
        w.EndObject();
    }
    w.Key("ignored");
    w.StartArray();
    for (const auto& i : ignored_names(o)) put(w, i);
    w.EndArray();
    w.Key("ignoredFields");
    w.StartArray();
    for (const auto& f : o.ignore_fields) put(w, f);
    w.EndArray();
    w.Key("equal");
    w.Bool(!r.differ());

    KindCounts fc = count_kinds(d.files);
    w.Key("files");
    w.StartObject();
    w.Key("changed");
    w.Uint64(fc.changed);
    w.Key("added");
    w.Uint64(fc.added);
    w.Key("removed");
    w.Uint64(fc.removed);
    w.Key("differences");
    w.StartArray();
    for (const auto& f : d.files) {
        w.StartObject();
        w.Key("kind");
        put(w, letter(f.kind));
        w.Key("path");
        put(w, fmt::format("/{}", f.path));
        w.Key("aspects");
        w.StartArray();
        for (auto a : f.aspects) put(w, fs::aspect_name(a));
        w.EndArray();
        put_entry(w, "before", f.before);
        put_entry(w, "after", f.after);
        w.EndObject();
        chunks.boundary();
    }
    w.EndArray();
    w.EndObject();

    w.Key("config");
    if (o.ignore_config) {
        w.Null();
    } else {
        w.StartObject();
        w.Key("differences");
        w.StartArray();
        for (const auto& c : d.config) put_config_difference(w, c, true);
        w.EndArray();
        w.EndObject();
    }

    w.Key("history");
    if (o.ignore_history) {
        w.Null();
    } else {
        KindCounts hc = count_kinds(d.history);
        w.StartObject();
        w.Key("removed");
        w.Uint64(hc.removed);
        w.Key("added");
        w.Uint64(hc.added);
        w.Key("changed");
        w.Uint64(hc.changed);
        w.Key("differences");
        w.StartArray();
        for (const auto& h : d.history) {
            w.StartObject();
            w.Key("kind");
            put(w, letter(h.kind));
            w.Key("position");
            w.Uint64(h.position);
            w.Key("createdBy");
            put(w, h.created_by);
            put_optional_position(w, "oldPosition", h.old_position);
            w.Key("fields");
            w.StartArray();
            for (const auto& f : h.fields) put_config_difference(w, f, false);
            w.EndArray();
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }

    w.Key("layers");
    if (o.ignore_layers) {
        w.Null();
    } else {
        LayerCounts lc = count_layers(d.layers);
        w.StartObject();
        w.Key("equal");
        w.Bool(d.layers.equal);
        w.Key("shared");
        w.Uint64(lc.shared);
        w.Key("onlyOld");
        w.Uint64(lc.only_old);
        w.Key("onlyNew");
        w.Uint64(lc.only_new);
        w.Key("commonBase");
        w.Uint64(d.layers.common_base);
        w.Key("layers");
        w.StartArray();
        for (const auto& p : d.layers.layers) {
            w.StartObject();
            w.Key("diffId");
            put(w, p.diff_id);
            put_optional_position(w, "old", p.before);
            put_optional_position(w, "new", p.after);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }

    w.Key("packages");
    if (!r.has_packages) {
        w.Null();
    } else {
        w.StartObject();
        w.Key("changes");
        put_package_changes(w, r.packages);
        w.Key("problems");
        w.StartArray();
        for (const auto& p : r.package_problems) put(w, p);
        w.EndArray();
        w.EndObject();
    }
    w.EndObject();
    chunks.finish();
}

void render_blame_text(const std::vector<LayerChangeSet>& layers, bool no_trunc, const Sink& sink,
                       const BlameOwners* owners) {
    if (layers.empty()) return;
    struct Layer {
        std::string digest, created_by;
    };
    std::vector<Layer> shown;
    for (const auto& l : layers) {
        std::string created_by = l.layer.created_by;
        for (auto& c : created_by)
            if (c == '\t') c = ' ';
        created_by = created_by.empty() ? "(no history)" : util::escape_for_display(created_by);
        if (!no_trunc) created_by = ellipsis(created_by, 45);
        shown.push_back({no_trunc ? l.layer.digest : digest::short_id(l.layer.digest), std::move(created_by)});
    }
    auto row = [&](std::size_t i, std::size_t k) {
        const auto& l = layers[i];
        const auto& c = l.changes.changes[k];
        std::vector<std::string> r{std::to_string(l.layer.position), shown[i].digest, letter(c.kind),
                                   fmt::format("/{}", util::escape_for_display(c.path()))};
        if (owners) r.push_back(util::escape_for_display(query::owner_names((*owners)[i][k])));
        return r;
    };
    std::vector<std::string> header{"LAYER", "DIGEST", "CHANGE", "PATH"};
    if (owners) header.emplace_back("PACKAGE");
    StreamedColumns columns(header.size());
    columns.measure(header);
    for (std::size_t i = 0; i < layers.size(); ++i)
        for (std::size_t k = 0; k < layers[i].changes.changes.size(); ++k) columns.measure(row(i, k));
    TextChunks chunks(sink);
    columns.write(chunks.text(), header, "CREATED BY");
    for (std::size_t i = 0; i < layers.size(); ++i) {
        for (std::size_t k = 0; k < layers[i].changes.changes.size(); ++k) {
            columns.write(chunks.text(), row(i, k), shown[i].created_by);
            chunks.boundary();
        }
    }
}

void render_blame_json(const std::string& path, const std::vector<LayerChangeSet>& layers, const Sink& sink,
                       const BlameOwners* owners) {
    JsonChunks chunks(sink);
    JsonWriter& w = chunks.writer();
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("path");
    put(w, "/" + path);
    w.Key("layers");
    w.StartArray();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto& l = layers[i];
        w.StartObject();
        put_layer_header(w, l);
        w.Key("changes");
        w.StartArray();
        for (std::size_t k = 0; k < l.changes.changes.size(); ++k) {
            const auto& c = l.changes.changes[k];
            w.StartObject();
            w.Key("kind");
            put(w, letter(c.kind));
            w.Key("path");
            put(w, fmt::format("/{}", c.path()));
            w.Key("bytes");
            w.Uint64(c.bytes());
            put_entry(w, "before", c.before());
            put_entry(w, "after", c.after);
            if (owners) put_owners(w, (*owners)[i][k]);
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

}  // namespace tarsier::report
