#pragma once
/// The sections of the report page that are plain HTML (they work without script): each
/// appends its <section> to `out`. Internal to report/html_page.cpp.

#include <string>

#include "query/report.hpp"

namespace tarsier::report::html {

/// The archive, the image, its sizes and the verdicts of verify, waste and audit.
void summary(const query::ReportPage& page, std::string& out);
/// One row per layer (and per empty history entry), with bars sized by its bytes.
void layers(const query::ReportPage& page, std::string& out);
/// Audit findings, then verify's failures and warnings, each linking to its layer and path.
void findings(const query::ReportPage& page, std::string& out);
/// The run configuration; environment values audit marks as secrets are not shown.
void config(const query::ReportPage& page, std::string& out);
/// The file tree's frame (its controls; the script fills it).
void files(const query::ReportPage& page, std::string& out);

/// The installed packages, each layer's package changes and the package findings; nothing
/// when the image has no package database (page.files->packages absent).
void packages(const query::ReportPage& page, std::string& out);

/// "layer N", linking to the layer's row.
std::string layer_link(std::size_t position);
/// `path` (as the tree names it, "/"-rooted), linking to the file tree at `layer`.
std::string path_link(std::optional<std::size_t> layer, std::string_view path);
/// Bytes as Docker prints them, with the exact count for the page's tests.
std::string bytes_cell(std::uint64_t n);

}  // namespace tarsier::report::html
