#include "report/packages_view.hpp"

#include <fmt/format.h>

#include "report/changes_view.hpp"
#include "report/json_writer.hpp"
#include "report/package_change_view.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "util/plural.hpp"
#include "util/strings.hpp"

namespace tarsier::report {

using query::PackageChange;
using query::PackageChangeKind;
using query::PackagesReport;

namespace {

std::string shown(std::string_view s) { return util::escape_for_display(s); }

std::string dash_if_empty(std::string_view s) { return s.empty() ? "-" : shown(s); }

void put_package(JsonWriter& w, const query::PackageEntry& e) {
    const auto& p = e.package;
    w.StartObject();
    w.Key("ecosystem");
    put(w, pkg::ecosystem_name(p.ecosystem));
    w.Key("name");
    put(w, p.name);
    w.Key("version");
    put(w, p.full_version());
    w.Key("epoch");
    if (p.epoch) w.Uint(*p.epoch);
    else w.Null();
    w.Key("arch");
    put(w, p.arch);
    w.Key("source");
    put(w, p.source_name);
    w.Key("sourceVersion");
    put(w, p.source_version);
    w.Key("license");
    put(w, p.license);
    w.Key("state");
    put(w, pkg::state_name(p.state));
    w.Key("database");
    put(w, p.db_file);
    w.Key("installedIn");
    w.Uint64(e.installed_in);
    w.Key("lastChangedIn");
    w.Uint64(e.last_changed_in);
    w.Key("files");
    w.Uint64(p.files.size());
    w.EndObject();
}

}  // namespace

void render_packages_text(const PackagesReport& rep, const Sink& sink) {
    TextChunks chunks(sink);
    std::string& out = chunks.text();
    Table table;
    table.add_row({"NAME", "VERSION", "ARCH", "SOURCE", "INSTALLED", "LAST CHANGED"});
    for (const auto& e : rep.packages) {
        const auto& p = e.package;
        std::string version = shown(p.full_version());
        if (!pkg::counts_as_installed(p.state)) version += fmt::format(" ({})", pkg::state_name(p.state));
        table.add_row({shown(p.name), version, dash_if_empty(p.arch), dash_if_empty(p.source_name),
                       std::to_string(e.installed_in), std::to_string(e.last_changed_in)});
    }
    out += table.render();
    out += fmt::format("\n{} after layer {}", util::count(static_cast<std::uint64_t>(rep.per_layer.empty() ? 0 : rep.per_layer.back().installed_count),
                                                       "package installed", "packages installed"),
                       rep.shown_layer);
    out += "\n";
    if (!rep.os.empty())
        out += fmt::format("distribution: {} (/{})\n", shown(rep.os.pretty_name.empty() ? rep.os.id : rep.os.pretty_name),
                           shown(rep.os.file));
    for (const auto& d : rep.databases) out += fmt::format("database: /{}\n", shown(d));
    out += "\n";
    chunks.boundary();
    for (const auto& l : rep.per_layer) {
        out += fmt::format("Layer {} {}\n  {}\n", l.layer.position, l.layer.digest.empty() ? "(digest unknown)" : l.layer.digest,
                           shown(l.layer.created_by.empty() ? "(no history)" : l.layer.created_by));
        out += fmt::format("  {} installed, {} upgraded, {} downgraded, {} removed\n",
                           count_of(l.changes, PackageChangeKind::installed), count_of(l.changes, PackageChangeKind::upgraded),
                           count_of(l.changes, PackageChangeKind::downgraded), count_of(l.changes, PackageChangeKind::removed));
        for (const auto& c : l.changes) out += "  " + package_change_line(c) + "\n";
        for (const auto& p : l.problems) out += fmt::format("  problem: {}\n", shown(p.to_string()));
        out += "\n";
        chunks.boundary();
    }
    for (const auto& f : rep.package_findings) {
        out += fmt::format("{}: layer {}: {}: {}\n", f.severity, f.layer, query::finding_code(f.kind), shown(f.message));
        for (const auto& p : f.paths) out += fmt::format("  {}{}\n", f.kind == query::PackageFindingKind::database_deleted || f.kind == query::PackageFindingKind::database_emptied ? "" : "/", shown(p));
        if (f.paths.size() < f.path_count) out += fmt::format("  ... and {} more\n", f.path_count - f.paths.size());
        chunks.boundary();
    }
    if (rep.unowned) {
        out += fmt::format("\nunowned: {} that no package owns\n", util::count(rep.unowned->size(), "file", "files"));
        for (const auto& u : *rep.unowned) {
            out += fmt::format("  layer {}  /{}{}\n", u.layer, shown(u.path), u.type == '2' ? " (symlink)" : "");
            chunks.boundary();
        }
    }
    if (rep.file_checks) {
        out += fmt::format("\nverify-files: {} not as their database records\n",
                           util::count(rep.file_checks->size(), "file", "files"));
        for (const auto& c : *rep.file_checks) {
            out += fmt::format("  {}  {}  /{}  layer {}\n", query::outcome_name(c.outcome), shown(c.package), shown(c.path),
                               c.layer ? std::to_string(*c.layer) : std::string("-"));
            chunks.boundary();
        }
    }
}

void render_packages_json(const PackagesReport& rep, const Sink& sink) {
    JsonChunks chunks(sink);
    JsonWriter& w = chunks.writer();
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("layer");
    w.Uint64(rep.shown_layer);
    w.Key("os");
    if (rep.os.empty()) {
        w.Null();
    } else {
        w.StartObject();
        w.Key("id");
        put(w, rep.os.id);
        w.Key("versionId");
        put(w, rep.os.version_id);
        w.Key("versionCodename");
        put(w, rep.os.version_codename);
        w.Key("prettyName");
        put(w, rep.os.pretty_name);
        w.Key("file");
        put(w, rep.os.file);
        w.EndObject();
    }
    w.Key("databases");
    w.StartArray();
    for (const auto& d : rep.databases) put(w, d);
    w.EndArray();
    w.Key("packages");
    w.StartArray();
    for (const auto& e : rep.packages) {
        put_package(w, e);
        chunks.boundary();
    }
    w.EndArray();
    w.Key("layers");
    w.StartArray();
    for (const auto& l : rep.per_layer) {
        w.StartObject();
        put_layer_id(w, l.layer);
        w.Key("databasesChanged");
        w.Bool(l.databases_changed);
        w.Key("installedCount");
        w.Uint64(l.installed_count);
        w.Key("changes");
        put_package_changes(w, l.changes);
        w.Key("problems");
        w.StartArray();
        for (const auto& p : l.problems) put(w, p.to_string());
        w.EndArray();
        w.EndObject();
        chunks.boundary();
    }
    w.EndArray();
    w.Key("findings");
    w.StartArray();
    for (const auto& f : rep.package_findings) {
        w.StartObject();
        w.Key("severity");
        put(w, f.severity);
        w.Key("code");
        put(w, query::finding_code(f.kind));
        w.Key("layer");
        w.Uint64(f.layer);
        put_or_null(w, "package", f.package);
        put_or_null(w, "database", f.database);
        w.Key("count");
        w.Uint64(f.path_count);
        w.Key("items");
        w.StartArray();
        for (const auto& p : f.paths) put(w, p);
        w.EndArray();
        w.Key("message");
        put(w, f.message);
        w.EndObject();
    }
    w.EndArray();
    w.Key("unowned");
    if (!rep.unowned) {
        w.Null();
    } else {
        w.StartArray();
        for (const auto& u : *rep.unowned) {
            w.StartObject();
            w.Key("path");
            put(w, u.path);
            w.Key("type");
            put(w, type_name(u.type));
            w.Key("size");
            w.Uint64(u.size);
            w.Key("layer");
            w.Uint64(u.layer);
            w.EndObject();
            chunks.boundary();
        }
        w.EndArray();
    }
    w.Key("verifyFiles");
    if (!rep.file_checks) {
        w.Null();
    } else {
        w.StartArray();
        for (const auto& c : *rep.file_checks) {
            w.StartObject();
            w.Key("outcome");
            put(w, query::outcome_name(c.outcome));
            w.Key("package");
            put(w, c.package);
            w.Key("path");
            put(w, c.path);
            w.Key("expected");
            put(w, c.expected);
            put_or_null(w, "actual", c.actual);
            w.Key("layer");
            if (c.layer) w.Uint64(*c.layer);
            else w.Null();
            w.EndObject();
            chunks.boundary();
        }
        w.EndArray();
    }
    w.EndObject();
    chunks.finish();
}

}  // namespace tarsier::report
