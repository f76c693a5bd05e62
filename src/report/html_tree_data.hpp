#pragma once
/// The page's embedded data (schemaVersion 1, man/tarsier-report.1 PAGE DATA): the layers
/// and every path any layer touched, with what each layer did to it, compact enough for
/// an image of 50,000 files. Internal to report/html_page.cpp.

#include "query/report.hpp"
#include "report/sink.hpp"

namespace tarsier::report::html {

/// Writes the data as compact JSON escaped so that it can sit in a
/// <script type="application/json"> block: '<', '>', '&', U+2028 and U+2029 are \u escapes,
/// so no "</script>" or "<!--" can appear in it.
void tree_data(const query::ReportPage& page, const Sink& sink);

}  // namespace tarsier::report::html
