// The packages section of the report page: what `tarsier packages` shows of the top
// layer (its model, query::PackagesReport), as plain HTML tables that need no script. A
// page of a few thousand packages stays light: one table row per package, no per-row
// script, the per-layer change lists folded in <details>.

#include <fmt/format.h>

#include "pkg/purl.hpp"
#include "report/html_sections.hpp"
#include "report/package_change_view.hpp"
#include "report/xml_escape.hpp"

namespace tarsier::report::html {

namespace {

using query::PackageChangeKind;

constexpr PackageChangeKind kCounted[] = {PackageChangeKind::installed, PackageChangeKind::upgraded,
                                          PackageChangeKind::downgraded, PackageChangeKind::removed,
                                          PackageChangeKind::changed};

/// One change as `tarsier packages` writes it ("+ curl 7.88.1-10 (amd64)", "^ a 1 -> 2").
std::string change_item(const query::PackageChange& c) {
    static constexpr const char* kSign[] = {"+", "^", "v", "-", "~"};
    std::string versions;
    switch (c.kind) {
    case PackageChangeKind::installed: versions = xml_escape(c.new_version); break;
    case PackageChangeKind::removed: versions = xml_escape(c.old_version); break;
    case PackageChangeKind::changed: versions = xml_escape(c.new_version) + " (state or files)"; break;
    default: versions = xml_escape(c.old_version) + " &#8594; " + xml_escape(c.new_version); break;
    }
    return fmt::format("<li class=\"pkg-change\" data-kind=\"{}\">{} <b>{}</b> {}{}</li>", query::change_kind_name(c.kind),
                       kSign[static_cast<int>(c.kind)], xml_escape(c.name), versions,
                       c.arch.empty() ? "" : " (" + xml_escape(c.arch) + ")");
}

void per_layer(const query::PackagesReport& rep, std::string& out) {
    out += "<h3>By layer</h3>\n<div class=\"scroll\"><table class=\"pkg-layers\"><thead><tr><th>Layer</th>"
           "<th>Installed</th><th>Upgraded</th><th>Downgraded</th><th>Removed</th><th>Changed</th>"
           "<th>Packages after</th><th>Created by</th></tr></thead><tbody>\n";
    for (const auto& l : rep.per_layer) {
        out += fmt::format("<tr class=\"pkg-layer\" data-position=\"{}\"><td>{}</td>", l.layer.position,
                           layer_link(l.layer.position));
        for (auto k : kCounted)
            out += fmt::format("<td class=\"num\" data-label=\"{0}\" data-count=\"{0}\">{1}</td>", query::change_kind_name(k),
                               count_of(l.changes, k));
        out += fmt::format("<td class=\"num\" data-label=\"after\" data-count=\"after\">{}</td><td class=\"created-by\">"
                           "<code class=\"cmd\">{}</code>",
                           l.installed_count, xml_escape(l.layer.created_by));
        if (!l.changes.empty()) {
            out += fmt::format("<details><summary>{} changes</summary><ul class=\"pkg-changes\">", l.changes.size());
            for (const auto& c : l.changes) out += change_item(c);
            out += "</ul></details>";
        }
        for (const auto& p : l.problems) out += "<div class=\"bad\">problem: " + xml_escape(p.to_string()) + "</div>";
        out += "</td></tr>\n";
    }
    out += "</tbody></table></div>\n";
}

void findings(const query::PackagesReport& rep, std::string& out) {
    out += fmt::format("<h3>Findings <span class=\"count\" id=\"package-finding-count\">{}</span></h3>\n",
                       rep.package_findings.size());
    if (rep.package_findings.empty()) return;
    out += "<div class=\"scroll\"><table class=\"pkg-findings\"><thead><tr><th>Severity</th><th>Code</th><th>Layer</th>"
           "<th>Package or database</th><th>Message</th></tr></thead><tbody>\n";
    for (const auto& f : rep.package_findings) {
        const bool about_files = f.kind == query::PackageFindingKind::files_deleted ||
                                 f.kind == query::PackageFindingKind::files_overwritten;
        std::string items;
        for (const auto& p : f.paths)
            items += "<li>" + (about_files ? path_link(f.layer, "/" + p) : xml_escape(p)) + "</li>";
        if (f.paths.size() < f.path_count) items += fmt::format("<li>... and {} more</li>", f.path_count - f.paths.size());
        out += fmt::format("<tr class=\"pkg-finding\" data-code=\"{1}\"><td><span class=\"sev {0}\">{0}</span></td>"
                           "<td>{1}</td><td>{2}</td><td>{3}</td><td>{4}{5}</td></tr>\n",
                           xml_escape(f.severity), query::finding_code(f.kind), layer_link(f.layer),
                           xml_escape(f.package.empty() ? "/" + f.database : f.package), xml_escape(f.message),
                           items.empty() ? "" : "<ul class=\"items\">" + items + "</ul>");
    }
    out += "</tbody></table></div>\n";
}

void installed(const query::PackagesReport& rep, std::string& out) {
    out += fmt::format("<h3>Installed <span class=\"count\" id=\"package-count\">{}</span></h3>\n", rep.packages.size());
    if (rep.packages.empty()) return;
    out += "<div class=\"scroll\"><table class=\"packages\"><thead><tr><th>Name</th><th>Version</th><th>Arch</th>"
           "<th>Source</th><th>Installed</th><th>Last changed</th><th>Package URL</th></tr></thead><tbody>\n";
    for (const auto& e : rep.packages) {
        const auto& p = e.package;
        std::string state;
        if (!pkg::counts_as_installed(p.state))
            state = fmt::format(" <span class=\"state\">({})</span>", pkg::state_name(p.state));
        out += fmt::format("<tr class=\"package\" data-ecosystem=\"{}\" data-state=\"{}\"><td class=\"name\">{}</td>"
                           "<td class=\"version\"><code>{}</code>{}</td><td class=\"arch\">{}</td><td class=\"source\">{}</td>"
                           "<td class=\"num\"><a href=\"#layer-{}\" class=\"installed-in\">{}</a></td>"
                           "<td class=\"num\"><a href=\"#layer-{}\" class=\"last-changed-in\">{}</a></td>"
                           "<td class=\"purl\"><code>{}</code></td></tr>\n",
                           pkg::ecosystem_name(p.ecosystem), pkg::state_name(p.state), xml_escape(p.name), xml_escape(p.full_version()), state,
                           xml_escape(p.arch), xml_escape(p.source_name), e.installed_in, e.installed_in,
                           e.last_changed_in, e.last_changed_in, xml_escape(pkg::purl_of(p, rep.os).to_string()));
    }
    out += "</tbody></table></div>\n";
}

}  // namespace

void packages(const query::ReportPage& page, std::string& out) {
    if (!page.files || !page.files->packages) return;
    const auto& rep = *page.files->packages;
    out += "<section id=\"packages\"><h2>Packages</h2>\n<p class=\"legend\">";
    std::size_t count = rep.per_layer.empty() ? 0 : rep.per_layer.back().installed_count;
    out += fmt::format("<span id=\"packages-installed\">{}</span> installed after layer {}", count, rep.shown_layer);
    if (!rep.os.empty())
        out += " · distribution <code id=\"packages-os\">" +
               xml_escape(rep.os.pretty_name.empty() ? rep.os.id : rep.os.pretty_name) + "</code>";
    for (const auto& d : rep.databases) out += " · database <code>" + xml_escape("/" + d) + "</code>";
    out += "</p>\n";
    findings(rep, out);
    per_layer(rep, out);
    installed(rep, out);
    out += "</section>\n";
}

}  // namespace tarsier::report::html
