// tarsier ls ARCHIVE|DIR...: `docker image ls` over one or many archives.
#include "cli/commands.hpp"
#include "cli/format_template.hpp"
#include "query/ls.hpp"
#include "report/ls_view.hpp"

namespace tarsier::cli {

void add_ls(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        query::ListOptions list;
        std::string format;
        bool digests = false, no_trunc = false, quiet = false;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("ls", "List the images in archives like 'docker image ls'");
    sub->alias("images");
    sub->add_option("ARCHIVE", o->list.paths, "image archives, OCI layout directories, directories of archives, or -")
        ->required()
        ->type_name("");
    sub->add_flag("-r,--recursive", o->list.recursive, "look for archives in the subfolders of a folder too");
    sub->add_flag("--digests", o->digests, "show digests");
    add_no_trunc(*sub, o->no_trunc);
    sub->add_flag("-q,--quiet", o->quiet, "only show image IDs");
    sub->add_option("-f,--filter", o->list.filters, "filter output: reference=PATTERN, dangling=true|false, label=KEY[=VALUE]")
        ->type_name("FILTER");
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
            o->list.read = g.read;
            auto rep = query::list_images(o->list);
            if (!rep) return fail_with(rep.error());
            int status = kExitOk;
            for (const auto& e : rep->errors) status = std::max(status, fail_with(e));
            print_findings(rep->findings);
            if (rep->archives == 0 && status != kExitOk) return status;
            report::ListOptions lo;
            lo.digests = o->digests;
            lo.no_trunc = o->no_trunc;
            lo.quiet = o->quiet;
            lo.show_archive = rep->several;
            lo.now = *now;
            auto zone = local_zone(*now);
            lo.utc_offset = zone.offset;
            lo.zone_name = zone.name;
            if (*tmpl && !o->quiet) {
                auto text = report::render_list_template(rep->rows, lo, **tmpl);
                if (!text) return fail_with(text.error(), "--format");
                write_out(*text);
                return status;
            }
            write_out(o->format == "json" ? report::render_list_json(rep->rows, lo) : report::render_list_table(rep->rows, lo));
            return status;
        };
    });
}

}  // namespace tarsier::cli
