// tarsier report ARCHIVE [IMAGE] -o FILE.html: one self-contained HTML page about an image.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/commands.hpp"
#include "query/report.hpp"
#include "report/html_page.hpp"

namespace tarsier::cli {

namespace {

/// Writes the page to `path` ("-": standard output), with `jobs` threads; the exit status
/// (an error printed when the file cannot be written).
int write_page(const query::ReportPage& page, const std::string& path, unsigned jobs) {
    if (path == "-") {
        report::render_report_html(page, stdout_sink(), jobs);
        return kExitOk;
    }
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return fail_with(util::Error{util::ErrorKind::usage, path, "", std::strerror(errno)});
    bool ok = true;
    report::render_report_html(page, [&](std::string_view s) { ok = ok && std::fwrite(s.data(), 1, s.size(), f) == s.size(); }, jobs);
    ok = std::fclose(f) == 0 && ok;
    if (!ok) return fail_with(util::Error{util::ErrorKind::unreadable, path, "", "cannot write the page"});
    return kExitOk;
}

}  // namespace

void add_report(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, output;
        query::ReportOptions report;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("report", "Write one self-contained HTML page about an image (layers, files, findings)");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    sub->add_option("-o,--output", o->output, "the HTML file to write, or - for standard output")
        ->required()
        ->type_name("FILE");
    add_read_options(*sub, g);
    add_index_options(*sub, g);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            o->report.read = g.read;
            if (auto over = writes_over_input(o->archive, o->output)) return fail_with(*over);
            auto sel = query::open_image(o->archive, o->image, g.read, query::kReportNeeds);
            if (!sel) return fail_with(sel.error());
            auto page = query::report(sel->archive, *sel->image, o->report);
            if (!page) return fail_with(page.error(), o->archive);
            print_findings(page->findings, o->archive);
            return write_page(*page, o->output, query::job_count(g.read));
        };
    });
}

}  // namespace tarsier::cli
