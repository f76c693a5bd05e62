// tarsier inspect ARCHIVE [IMAGE]: `docker image inspect` for an image in an archive.
#include "cli/commands.hpp"
#include "cli/format_template.hpp"
#include "query/inspect.hpp"
#include "report/inspect_view.hpp"

namespace tarsier::cli {

void add_inspect(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("inspect", "Show an image's configuration like 'docker image inspect'");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    add_format(*sub, o->format, {"json"}, FormatTemplates::docker_inspect);
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto tmpl = format_template(o->format, report::TemplateDialect::inspect);
            if (!tmpl) return fail_with(tmpl.error());
            auto sel = query::open_image(o->archive, o->image, g.read, {});
            if (!sel) return fail_with(sel.error());
            auto rep = query::inspect(sel->archive, *sel->image, g.read);
            print_findings(rep.findings, o->archive);
            if (*tmpl) {
                auto text = report::render_inspect_template(rep.items, **tmpl);
                if (!text) return fail_with(text.error(), "--format");
                write_out(*text);
                return kExitOk;
            }
            write_out(report::render_inspect(rep.items));
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
