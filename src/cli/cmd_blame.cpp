// tarsier blame ARCHIVE PATH [--image IMAGE]: which layers added, changed or deleted a path.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "query/changes.hpp"
#include "query/packages.hpp"
#include "report/diff_view.hpp"

namespace tarsier::cli {

void add_blame(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
        bool no_trunc = false;
        query::BlameOptions blame;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("blame", "Show every layer that added, changed or deleted a path or anything below it");
    add_archive(*sub, o->archive);
    sub->add_option("PATH", o->blame.path, "the path inside the image (/etc/passwd; a relative path starts at the root)")
        ->required()
        ->type_name("");
    add_image(*sub, o->image, false);
    add_no_trunc(*sub, o->no_trunc);
    add_owner(*sub, o->blame.owner);
    add_format(*sub, o->format, {"json"});
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    add_index_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            o->blame.read = g.read;
            auto sel = query::open_image(o->archive, o->image, g.read, o->blame.owner ? query::kPackagesNeeds : query::kFilesNeeds);
            if (!sel) return fail_with(sel.error());
            auto rep = query::blame(sel->archive, *sel->image, o->blame);
            if (!rep) return fail_with(rep.error(), o->archive);
            print_findings(rep->findings, o->archive);
            auto out = stdout_sink();
            if (o->format == "json") report::render_blame_json(rep->path, rep->layers, out, rep->owners ? &*rep->owners : nullptr);
            else report::render_blame_text(rep->layers, o->no_trunc, out, rep->owners ? &*rep->owners : nullptr);
            if (!rep->layers.empty()) return kExitOk;
            // Not found is exit 1 with a note, in every command that looks for paths.
            print_note(fmt::format("no layer has /{} or anything below it", rep->path));
            return kExitFindings;
        };
    });
}

}  // namespace tarsier::cli
