#include "report/html_sections.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "report/changes_view.hpp"
#include "report/html_csp.hpp"
#include "report/xml_escape.hpp"
#include "report/units.hpp"

namespace tarsier::report::html {

namespace {

using query::ReportPage;

std::string size_text(std::uint64_t n) { return human_size(static_cast<double>(n), 3); }

/// A row of the summary's definition list; `value` is HTML already.
void item(std::string& out, std::string_view key, const std::string& value, std::string_view id = {}) {
    out += fmt::format("<dt>{}</dt><dd{}>{}</dd>\n", key, id.empty() ? "" : fmt::format(" id=\"{}\"", id), value);
}

std::string code(std::string_view s) { return s.empty() ? "<span class=\"none\">none</span>" : "<code>" + xml_escape(s) + "</code>"; }

std::string optional_bytes(const std::optional<std::uint64_t>& n) {
    return n ? bytes_cell(*n) : "<span class=\"none\">unknown</span>";
}

/// Sum of a column of the layer rows; nullopt when a row does not know it.
std::optional<std::uint64_t> total(const ReportPage& page, std::optional<std::uint64_t> query::LayerRow::*field) {
    std::uint64_t sum = 0;
    for (const auto& r : page.layers.rows) {
        if (!(r.*field)) return std::nullopt;
        sum += *(r.*field);
    }
    return sum;
}

/// Two bars: download and uncompressed bytes against the largest layer (SVG, so that
/// no style attribute is needed under the page's CSP and it prints).
std::string bars(const query::LayerRow& r, std::uint64_t largest) {
    auto width = [&](const std::optional<std::uint64_t>& n) {
        if (!n || largest == 0) return 0.0;
        return std::max(0.5, 1000.0 * static_cast<double>(*n) / static_cast<double>(largest));
    };
    return fmt::format(
        "<svg class=\"bars\" viewBox=\"0 0 1000 20\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"sizes\">"
        "<rect class=\"bar-download\" x=\"0\" y=\"1\" height=\"8\" width=\"{:.1f}\"/>"
        "<rect class=\"bar-uncompressed\" x=\"0\" y=\"11\" height=\"8\" width=\"{:.1f}\"/></svg>",
        width(r.download), width(r.uncompressed));
}

}  // namespace

std::string layer_link(std::size_t position) {
    return fmt::format("<a href=\"#layer-{0}\" class=\"layer-link\">layer {0}</a>", position);
}

std::string path_link(std::optional<std::size_t> layer, std::string_view path) {
    if (path.empty()) return "";
    return fmt::format("<a href=\"#files\" class=\"path-link\" data-layer=\"{}\" data-path=\"{}\">{}</a>",
                       layer ? std::to_string(*layer) : "", xml_escape(path), xml_escape(path));
}

std::string bytes_cell(std::uint64_t n) {
    return fmt::format("<span class=\"bytes\" data-bytes=\"{}\" title=\"{} bytes\">{}</span>", n, n, size_text(n));
}

void summary(const ReportPage& page, std::string& out) {
    const auto& img = *page.image;
    const auto& a = page.archive;
    out += "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">\n";
    out += "<div class=\"card\"><h3>Archive</h3><dl>\n";
    item(out, "Name", xml_escape(a.name), "archive-name");
    item(out, "SHA-256", a.sha256.empty() ? "<span class=\"none\">not computed (a directory, or the input could not be read to its end)</span>" : code(a.sha256),
         "archive-sha256");
    item(out, "Size", optional_bytes(a.size), "archive-size");
    item(out, "Format", xml_escape(a.format), "archive-format");
    out += "</dl></div>\n<div class=\"card\"><h3>Image</h3><dl>\n";
    std::string refs;
    for (const auto& r : img.references) refs += "<code>" + xml_escape(r.str()) + "</code> ";
    for (const auto& r : img.repo_digests) refs += "<code>" + xml_escape(r) + "</code> ";
    item(out, "References", refs.empty() ? "<span class=\"none\">none</span>" : refs, "image-references");
    item(out, "ID", code(img.id), "image-id");
    item(out, "Manifest", code(img.manifest_digest), "image-manifest");
    item(out, "Platform", xml_escape(img.platform()), "image-platform");
    item(out, "Created", xml_escape(img.config.created), "image-created");
    item(out, "Author", xml_escape(img.config.author), "image-author");
    out += "</dl></div>\n<div class=\"card\"><h3>Sizes</h3><dl>\n";
    item(out, "Download", optional_bytes(total(page, &query::LayerRow::download)), "size-download");
    item(out, "Uncompressed", optional_bytes(total(page, &query::LayerRow::uncompressed)), "size-uncompressed");
    item(out, "Content", optional_bytes(total(page, &query::LayerRow::content)), "size-content");
    item(out, "Layers", std::to_string(page.layers.rows.size()), "size-layers");
    out += "</dl></div>\n<div class=\"card\"><h3>Verdicts</h3><dl>\n";
    const auto& v = page.verify;
    item(out, "Verify",
         fmt::format("<span class=\"verdict {0}\">{0}</span> <span class=\"counts\">"
                     "<span data-count=\"pass\">{1}</span> passed, <span data-count=\"fail\">{2}</span> failed, "
                     "<span data-count=\"warn\">{3}</span> warnings, <span data-count=\"absent\">{4}</span> absent, "
                     "<span data-count=\"unverifiable\">{5}</span> unverifiable</span>",
                     v.ok() ? "ok" : "failed", v.count(verify::Verdict::pass), v.count(verify::Verdict::fail),
                     v.count(verify::Verdict::warn), v.count(verify::Verdict::absent_by_design),
                     v.count(verify::Verdict::unverifiable)),
         "verify");
    if (page.files) {
        const auto& w = page.files->waste;
        item(out, "Efficiency",
             fmt::format("<span data-efficiency=\"{:.17g}\">{:.2f} %</span>, {} wasted", w.efficiency, w.efficiency * 100,
                         bytes_cell(w.wasted_bytes)),
             "waste");
        std::string sev;
        for (auto s : {audit::Severity::critical, audit::Severity::high, audit::Severity::medium, audit::Severity::low,
                       audit::Severity::info})
            sev += fmt::format("<span class=\"sev {0}\" data-severity=\"{0}\">{1} {0}</span> ", audit::to_string(s),
                               page.files->audit.count(s));
        item(out, "Audit", sev, "audit");
    } else {
        item(out, "Efficiency, audit",
             "<span class=\"none\">not computed: " + xml_escape(page.files_error ? page.files_error->to_string() : "") + "</span>",
             "waste");
    }
    out += "</dl></div></div>\n";
    if (!page.findings.empty()) {
        out += "<ul class=\"notes\">";
        for (const auto& f : page.findings)
            out += fmt::format("<li>{}: {}{}</li>", xml_escape(f.severity), f.where.empty() ? "" : xml_escape(f.where) + ": ",
                               xml_escape(f.message));
        out += "</ul>\n";
    }
    out += "</section>\n";
}

void layers(const ReportPage& page, std::string& out) {
    const auto& rows = page.layers.rows;
    std::uint64_t largest = 0;
    for (const auto& r : rows) largest = std::max({largest, r.download.value_or(0), r.uncompressed.value_or(0)});
    out += "<section id=\"layers\"><h2>Layers</h2>\n"
           "<p class=\"legend\"><span class=\"key bar-download\"></span> download "
           "<span class=\"key bar-uncompressed\"></span> uncompressed</p>\n"
           "<div class=\"scroll\"><table class=\"layers\"><thead><tr><th>#</th><th>Sizes</th><th>Download</th>"
           "<th>Uncompressed</th><th>Content</th><th>Added</th><th>Changed</th><th>Deleted</th>"
           "<th>Created by</th></tr></thead><tbody>\n";
    auto change_cell = [](const Tally* t, int k) {
        static constexpr const char* kLabel[] = {"added", "changed", "deleted"};
        if (!t) return std::string("<td></td>");
        return fmt::format("<td class=\"num\" data-label=\"{}\"><span data-count=\"{}\">{}</span> · {}</td>", kLabel[k],
                           t->counts[k], t->counts[k], bytes_cell(t->bytes[k]));
    };
    auto layer_row = [&](const query::LayerRow& r) {
        std::optional<Tally> t;
        if (page.files && r.position < page.files->changes.layers.size())
            t = tally(page.files->changes.layers[r.position].changes);
        out += fmt::format("<tr id=\"layer-{0}\" class=\"layer\" data-position=\"{0}\"><td class=\"num\">{0}</td><td>{1}</td>"
                           "<td class=\"num\" data-field=\"download\" data-label=\"download\">{2}</td>"
                           "<td class=\"num\" data-field=\"uncompressed\" data-label=\"uncompressed\">{3}</td>"
                           "<td class=\"num\" data-field=\"content\" data-label=\"content\">{4}</td>{5}{6}{7}<td class=\"created-by\">",
                           r.position, bars(r, largest), optional_bytes(r.download), optional_bytes(r.uncompressed),
                           optional_bytes(r.content), change_cell(t ? &*t : nullptr, 0), change_cell(t ? &*t : nullptr, 1),
                           change_cell(t ? &*t : nullptr, 2));
        out += "<code class=\"cmd\">" + xml_escape(r.created_by) + "</code>";
        out += "<div class=\"digests\">blob <code data-field=\"digest\">" + xml_escape(r.digest) +
               "</code><br>diff_id <code data-field=\"diff_id\">" + xml_escape(r.diff_id) + "</code>";
        if (!r.present) out += "<br><span class=\"bad\">absent: " + xml_escape(r.absent_reason) + "</span>";
        if (page.files) out += fmt::format(" <a href=\"#files\" class=\"tree-link\" data-layer=\"{}\">files</a>", r.position);
        out += "</div></td></tr>\n";
    };
    // Docker's history: an entry that made no layer (empty_layer) sits between the
    // layers, in the order of the config's history.
    std::size_t next = 0;
    for (const auto& h : page.image->config.history) {
        if (h.empty_layer) {
            out += "<tr class=\"empty-layer\"><td></td><td colspan=\"7\" class=\"none\">no layer</td><td class=\"created-by\">"
                   "<code class=\"cmd\">" + xml_escape(h.created_by) + "</code></td></tr>\n";
        } else if (next < rows.size()) {
            layer_row(rows[next++]);
        }
    }
    while (next < rows.size()) layer_row(rows[next++]);
    out += "</tbody></table></div></section>\n";
}

void findings(const ReportPage& page, std::string& out) {
    out += "<section id=\"findings\"><h2>Findings</h2>\n";
    if (page.files) {
        const auto& f = page.files->audit.findings;
        out += fmt::format("<h3>Audit <span class=\"count\" id=\"audit-count\">{}</span></h3>\n", f.size());
        if (!f.empty()) {
            out += "<div class=\"scroll\"><table class=\"audit\"><thead><tr><th>Severity</th><th>Rule</th><th>Layer</th>"
                   "<th>Path or key</th><th>Detail</th></tr></thead><tbody>\n";
            for (const auto& x : f)
                out += fmt::format("<tr data-rule=\"{1}\"><td><span class=\"sev {0}\">{0}</span></td><td>{1}</td><td>{2}</td>"
                                   "<td>{3}</td><td>{4}</td></tr>\n",
                                   audit::to_string(x.severity), xml_escape(x.rule), x.layer ? layer_link(*x.layer) : "",
                                   x.path.empty() ? xml_escape(x.config_key) : path_link(x.layer, x.path), xml_escape(x.detail));
            out += "</tbody></table></div>\n";
        }
    }
    std::size_t shown = 0;
    for (const auto& c : page.verify.checks) shown += c.verdict == verify::Verdict::fail || c.verdict == verify::Verdict::warn;
    out += fmt::format("<h3>Verify <span class=\"count\" id=\"verify-count\">{}</span></h3>\n", shown);
    if (shown == 0) {
        out += fmt::format("<p>Every check passed ({} checks).</p>\n", page.verify.checks.size());
    } else {
        out += "<div class=\"scroll\"><table class=\"verify\"><thead><tr><th>Verdict</th><th>Check</th><th>Subject</th>"
               "<th>Expected</th><th>Actual</th><th>Message</th></tr></thead><tbody>\n";
        for (std::size_t i = 0; i < page.verify.checks.size(); ++i) {
            const auto& c = page.verify.checks[i];
            if (c.verdict != verify::Verdict::fail && c.verdict != verify::Verdict::warn) continue;
            const auto& layer = page.verify_layer[i];
            out += fmt::format("<tr><td><span class=\"verdict {0}\">{0}</span></td><td>{1}</td><td>{2}{3}</td><td>{4}</td>"
                               "<td>{5}</td><td>{6}</td></tr>\n",
                               verify::to_string(c.verdict), xml_escape(c.id), xml_escape(c.subject),
                               layer ? " (" + layer_link(*layer) + ")" : "", code(c.expected), code(c.actual),
                               xml_escape(c.message));
        }
        out += "</tbody></table></div>\n";
    }
    out += "</section>\n";
}

void config(const ReportPage& page, std::string& out) {
    const auto& rc = page.image->config.config;
    auto list = [](const std::vector<std::string>& v) {
        if (v.empty()) return std::string("<span class=\"none\">none</span>");
        std::string s;
        for (const auto& x : v) s += "<code>" + xml_escape(x) + "</code> ";
        return s;
    };
    auto opt_list = [&](const std::optional<std::vector<std::string>>& v) {
        return v ? list(*v) : std::string("<span class=\"none\">none</span>");
    };
    out += "<section id=\"config\"><h2>Config</h2><dl class=\"config\">\n";
    item(out, "User", rc.user.empty() ? "<span class=\"none\">root (not set)</span>" : code(rc.user), "config-user");
    item(out, "Working dir", code(rc.working_dir));
    item(out, "Entrypoint", opt_list(rc.entrypoint), "config-entrypoint");
    item(out, "Cmd", opt_list(rc.cmd), "config-cmd");
    item(out, "Ports", list(rc.exposed_ports), "config-ports");
    item(out, "Volumes", list(rc.volumes), "config-volumes");
    out += "</dl>\n<h3>Environment</h3>\n";
    if (rc.env.empty()) out += "<p class=\"none\">none</p>\n";
    else {
        out += "<table class=\"env\"><tbody>\n";
        for (const auto& e : rc.env) {
            auto eq = e.find('=');
            std::string name = e.substr(0, eq);
            std::string value = eq == std::string::npos ? "" : e.substr(eq + 1);
            bool secret = page.files && page.files->secret_env.count(name);
            out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", xml_escape(name),
                               secret ? "<span class=\"secret\">(hidden: audit marks it as a secret)</span>" : code(value));
        }
        out += "</tbody></table>\n";
    }
    out += "<h3>Labels</h3>\n";
    if (rc.labels.empty()) out += "<p class=\"none\">none</p>\n";
    else {
        out += "<table class=\"labels\"><tbody>\n";
        for (const auto& [k, v] : rc.labels)
            out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", xml_escape(k), code(v));
        out += "</tbody></table>\n";
    }
    out += "</section>\n";
}

void files(const ReportPage& page, std::string& out) {
    out += "<section id=\"files\"><h2>Files</h2>\n";
    if (!page.files) {
        out += "<p class=\"none\">The file tree is not available: " +
               xml_escape(page.files_error ? page.files_error->to_string() : "") + "</p></section>\n";
        return;
    }
    out += "<noscript><p>The file tree needs JavaScript; the summary, layers and findings above do not.</p></noscript>\n"
           "<div class=\"tree-controls\" hidden>"
           "<label>Layer <select id=\"tree-layer\"></select></label> "
           "<label>Filter <input id=\"tree-filter\" type=\"search\" placeholder=\"name contains\" autocomplete=\"off\"></label> "
           "<label><input id=\"tree-changes\" type=\"checkbox\"> only changes</label> "
           "<span id=\"tree-status\" role=\"status\"></span></div>\n"
           "<p class=\"legend tree-legend\" hidden><span class=\"mark A\">A</span> added "
           "<span class=\"mark C\">C</span> changed <span class=\"mark D\">D</span> deleted by the chosen layer</p>\n"
           "<div id=\"tree\" class=\"tree\" role=\"tree\"></div>\n</section>\n";
}

}  // namespace tarsier::report::html
