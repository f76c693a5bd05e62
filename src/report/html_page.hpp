#pragma once
/// `tarsier report`'s page: one self-contained HTML file (no external resource, a
/// Content-Security-Policy that forbids the network), with the summary, layers, findings
/// and config rendered as HTML and the file tree drawn by the page's script from data
/// embedded once as JSON (the schema is in man/tarsier-report.1, PAGE DATA).

#include "query/report.hpp"
#include "report/sink.hpp"

namespace tarsier::report {

/// Writes the page of `page` to `sink`, in pieces. With `jobs` above 1, the file tree's
/// data is made on a thread of its own while the sections are.
void render_report_html(const query::ReportPage& page, const Sink& sink, unsigned jobs = 1);

}  // namespace tarsier::report
