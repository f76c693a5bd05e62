#include "report/html_page.hpp"

#include <exception>
#include <thread>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "report/html_sections.hpp"
#include "report/html_csp.hpp"
#include "report/xml_escape.hpp"
#include "report/html_tree_data.hpp"
#include "report_page_assets.hpp"

namespace tarsier::report {

namespace {

std::string title_of(const query::ReportPage& page) {
    const auto& img = *page.image;
    if (!img.references.empty()) return img.references.front().str();
    if (!img.id.empty()) return digest::short_id(img.id);
    return page.archive.name;
}

}  // namespace

void render_report_html(const query::ReportPage& page, const Sink& sink, unsigned jobs) {
    const std::string title = xml_escape(title_of(page));
    // The network is forbidden: nothing may load but the page's own style and script,
    // allowed by their hashes.
    const std::string csp = fmt::format(
        "default-src 'none'; style-src {}; script-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(assets::kCss), csp_hash(assets::kJs));
    // The tree's data, most of a large image's page, made beside the sections (kept whole
    // until they are written, as large as the tree's JSON).
    std::string tree;
    std::exception_ptr tree_failed;  // rethrown here, as without the thread
    std::jthread tree_thread;
    if (jobs > 1)
        tree_thread = std::jthread([&] {
            try {
                html::tree_data(page, [&tree](std::string_view s) { tree += s; });
            } catch (...) {
                tree_failed = std::current_exception();
            }
        });
    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<meta name=\"color-scheme\" content=\"light dark\">\n";
    out += "<meta name=\"generator\" content=\"tarsier report\">\n";
    out += "<title>" + title + " · tarsier report</title>\n<style>";
    out += assets::kCss;
    out += "</style>\n</head>\n<body>\n<header><h1><span class=\"tool\">tarsier report</span> " + title + "</h1>\n";
    out += "<nav><a href=\"#summary\">Summary</a> <a href=\"#layers\">Layers</a> <a href=\"#findings\">Findings</a> ";
    if (page.files && page.files->packages) out += "<a href=\"#packages\">Packages</a> ";
    out += "<a href=\"#files\">Files</a> <a href=\"#config\">Config</a></nav></header>\n<main>\n";
    html::summary(page, out);
    html::layers(page, out);
    html::findings(page, out);
    html::packages(page, out);  // only when the image has a package database
    html::files(page, out);
    html::config(page, out);
    out += "</main>\n<script type=\"application/json\" id=\"tarsier-data\">";
    sink(out);
    out.clear();
    if (tree_thread.joinable()) {
        tree_thread.join();
        if (tree_failed) std::rethrow_exception(tree_failed);
        sink(tree);
    } else {
        html::tree_data(page, sink);
    }
    out += "</script>\n<script>";
    out += assets::kJs;
    out += "</script>\n</body>\n</html>\n";
    sink(out);
}

}  // namespace tarsier::report
