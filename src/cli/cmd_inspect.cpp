// tarsier inspect ARCHIVE [IMAGE]: `docker image inspect` for an image in an archive.
#include "cli/commands.hpp"
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
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto sel = query::open_image(o->archive, o->image, g.read, {});
            if (!sel) return fail_with(sel.error());
            auto rep = query::inspect(sel->archive, *sel->image, g.read);
            print_findings(rep.findings, o->archive);
            write_out(report::render_inspect(rep.items));
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
