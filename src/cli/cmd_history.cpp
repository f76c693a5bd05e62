// tarsier history ARCHIVE [IMAGE]: `docker image history` for an image in an archive.
#include "cli/commands.hpp"
#include "cli/format_template.hpp"
#include "query/history.hpp"
#include "report/history_view.hpp"

namespace tarsier::cli {

void add_history(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
        bool no_trunc = false, quiet = false, human = true;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("history", "Show the history of an image like 'docker image history'");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    add_no_trunc(*sub, o->no_trunc);
    sub->add_flag("-q,--quiet", o->quiet, "only show image IDs");
    sub->add_flag("-H,--human", o->human, "print sizes and dates in human readable format (default; -H=false for raw)");
    add_format(*sub, o->format, {"json"}, FormatTemplates::docker);
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    add_now(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto now = now_seconds(g);
            if (!now) return fail_with(now.error());
            auto tmpl = format_template(o->format, report::TemplateDialect::formatter);
            if (!tmpl) return fail_with(tmpl.error());
            auto sel = query::open_image(o->archive, o->image, g.read, query::kHistoryNeeds);
            if (!sel) return fail_with(sel.error());
            auto rep = query::history(sel->archive, *sel->image, g.read);
            print_findings(rep.findings, o->archive);
            report::HistoryOptions ho;
            ho.no_trunc = o->no_trunc;
            ho.quiet = o->quiet;
            ho.human = o->human;
            ho.now = *now;
            ho.utc_offset = local_zone(*now).offset;
            if (*tmpl && !o->quiet) {
                auto text = report::render_history_template(rep.rows, ho, **tmpl);
                if (!text) return fail_with(text.error(), "--format");
                write_out(*text);
                return kExitOk;
            }
            write_out(o->format == "json" ? report::render_history_json(rep.rows, ho) : report::render_history_table(rep.rows, ho));
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
