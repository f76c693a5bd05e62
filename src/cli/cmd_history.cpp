// tarsier history ARCHIVE [IMAGE]: `docker image history` for an image in an archive.
#include "cli/commands.hpp"
#include "image/select.hpp"
#include "report/history_view.hpp"

namespace tarsier::cli {

void add_history(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
        bool no_trunc = false, quiet = false, human = true;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("history", "Show the history of an image like 'docker image history'");
    sub->add_option("ARCHIVE", o->archive, "image archive, OCI layout directory, or - for standard input")->required();
    sub->add_option("IMAGE", o->image, "reference, ID prefix or @N (needed when the archive holds several images)");
    sub->add_flag("--no-trunc", o->no_trunc, "don't truncate output");
    sub->add_flag("-q,--quiet", o->quiet, "only show image IDs");
    sub->add_flag("-H,--human", o->human, "print sizes and dates in human readable format (default; -H=false for raw)");
    sub->add_option("--format", o->format, "'table' (default) or 'json'")->check(CLI::IsMember({"table", "json"}));
    add_global_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto now = now_seconds(g);
            if (!now) return fail_with(now.error());
            auto sel = open_image(o->archive, o->image, g);
            if (!sel) return fail_with(sel.error());
            auto rows = report::history_rows(sel->archive, *sel->image, layer_sizes(sel->archive, *sel->image, g));
            report::HistoryOptions ho;
            ho.no_trunc = o->no_trunc;
            ho.quiet = o->quiet;
            ho.human = o->human;
            ho.now = *now;
            ho.utc_offset = local_zone(*now).offset;
            write_out(o->format == "json" ? report::render_history_json(rows, ho) : report::render_history_table(rows, ho));
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
