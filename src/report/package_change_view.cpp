#include "report/package_change_view.hpp"

#include <fmt/format.h>

#include "util/strings.hpp"

namespace tarsier::report {

using query::PackageChange;
using query::PackageChangeKind;

namespace {

std::string shown(std::string_view s) { return util::escape_for_display(s); }

}  // namespace

std::size_t count_of(const std::vector<PackageChange>& cs, PackageChangeKind k) {
    std::size_t n = 0;
    for (const auto& c : cs) n += c.kind == k;
    return n;
}

std::string package_change_line(const PackageChange& c) {
    std::string arch = c.arch.empty() ? "" : fmt::format(" ({})", shown(c.arch));
    switch (c.kind) {
    case PackageChangeKind::installed: return fmt::format("+ {} {}{}", shown(c.name), shown(c.new_version), arch);
    case PackageChangeKind::removed: return fmt::format("- {} {}{}", shown(c.name), shown(c.old_version), arch);
    case PackageChangeKind::upgraded:
        return fmt::format("^ {} {} -> {}{}", shown(c.name), shown(c.old_version), shown(c.new_version), arch);
    case PackageChangeKind::downgraded:
        return fmt::format("v {} {} -> {}{}", shown(c.name), shown(c.old_version), shown(c.new_version), arch);
    case PackageChangeKind::changed:
        return fmt::format("~ {} {} (state or files){}", shown(c.name), shown(c.new_version), arch);
    }
    return {};
}

void put_package_change(JsonWriter& w, const PackageChange& c) {
    w.StartObject();
    w.Key("ecosystem");
    put(w, pkg::ecosystem_name(c.ecosystem));
    w.Key("name");
    put(w, c.name);
    w.Key("arch");
    put(w, c.arch);
    if (c.kind == PackageChangeKind::installed) {
        w.Key("version");
        put(w, c.new_version);
    } else if (c.kind == PackageChangeKind::removed) {
        w.Key("version");
        put(w, c.old_version);
    } else {
        w.Key("oldVersion");
        put(w, c.old_version);
        w.Key("newVersion");
        put(w, c.new_version);
    }
    w.EndObject();
}

void put_package_changes(JsonWriter& w, const std::vector<PackageChange>& changes) {
    w.StartObject();
    for (auto k : {PackageChangeKind::installed, PackageChangeKind::upgraded, PackageChangeKind::downgraded,
                   PackageChangeKind::removed, PackageChangeKind::changed}) {
        w.Key(query::change_kind_name(k));
        w.StartArray();
        for (const auto& c : changes)
            if (c.kind == k) put_package_change(w, c);
        w.EndArray();
    }
    w.EndObject();
}

}  // namespace tarsier::report
