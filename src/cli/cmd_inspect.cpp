// tarsier inspect ARCHIVE [IMAGE]: `docker image inspect` for an image in an archive.
#include "cli/commands.hpp"
#include "image/select.hpp"
#include "report/inspect_view.hpp"

namespace tarsier::cli {

void add_inspect(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("inspect", "Show an image's configuration like 'docker image inspect'");
    sub->add_option("ARCHIVE", o->archive, "image archive, OCI layout directory, or - for standard input")->required();
    sub->add_option("IMAGE", o->image, "reference, ID prefix or @N (needed when the archive holds several images)");
    add_global_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto sel = open_image(o->archive, o->image, g);
            if (!sel) return fail_with(sel.error());
            auto sizes = layer_sizes(sel->archive, *sel->image, g);
            write_out(report::render_inspect({{sel->image, image_size(sizes)}}));
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
