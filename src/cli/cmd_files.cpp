// tarsier files ARCHIVE [PATH|GLOB...] [--image IMAGE] [--layer N]: the merged filesystem.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "query/changes.hpp"
#include "query/packages.hpp"
#include "report/changes_view.hpp"

namespace tarsier::cli {

void add_files(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
        query::FilesOptions files;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("files", "List the merged filesystem after a layer, like 'tar -tv'");
    add_archive(*sub, o->archive);
    sub->add_option("PATH", o->files.patterns,
                    "only these paths and what is below them, or globs ('/usr/bin/*'); relative paths start at the root")
        ->type_name("");
    add_image(*sub, o->image, false);
    add_layer(*sub, o->files.layer, "the filesystem after this layer (default: the top)");
    add_owner(*sub, o->files.owner);
    add_format(*sub, o->format, {"json"});
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    add_index_options(*sub, g);
    sub->callback([o, sub, &g, &run] {
        run = [o, sub, &g]() -> int {
            if (o->format == "text" && sub->count("--content-digest") > 0)
                return fail_with(util::make_error(util::ErrorKind::usage, "--content-digest",
                                                  "files shows content digests only with --format json"));
            o->files.read = g.read;
            auto sel = query::open_image(o->archive, o->image, g.read, o->files.owner ? query::kPackagesNeeds : query::kFilesNeeds);
            if (!sel) return fail_with(sel.error());
            auto rep = query::files(sel->archive, *sel->image, o->files);
            if (!rep) return fail_with(rep.error(), o->archive);
            print_findings(rep->findings, o->archive);
            auto out = stdout_sink();
            if (o->format == "json") report::render_files_json(rep->nodes, out, rep->owners ? &*rep->owners : nullptr);
            else report::render_files_text(rep->nodes, out, rep->owners ? &*rep->owners : nullptr);
            // Not found is exit 1 with a note, in every command that looks for paths.
            for (const auto& p : rep->unmatched)
                print_note(fmt::format("no path matches '{}' after layer {}", p, rep->layer));
            return rep->unmatched.empty() ? kExitOk : kExitFindings;
        };
    });
}

}  // namespace tarsier::cli
