// tarsier changes ARCHIVE [IMAGE] [--layer N|DIGEST]: what each layer did to the filesystem.
#include "cli/commands.hpp"
#include "query/changes.hpp"
#include "report/changes_view.hpp"

namespace tarsier::cli {

void add_changes(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
        bool long_form = false;
        query::ChangesOptions changes;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("changes", "Show each layer's file changes like 'docker diff' (A, C, D)");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    add_layer(*sub, o->changes.layer, "only this layer");
    sub->add_flag("-l,--long", o->long_form, "add type, mode, owner and size (old => new)");
    add_format(*sub, o->format, {"json"});
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    add_index_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            o->changes.read = g.read;
            auto sel = query::open_image(o->archive, o->image, g.read, query::kFilesNeeds);
            if (!sel) return fail_with(sel.error());
            auto rep = query::changes(sel->archive, *sel->image, o->changes);
            if (!rep) return fail_with(rep.error(), o->archive);
            print_findings(rep->findings, o->archive);
            auto out = stdout_sink();
            if (o->format == "json") report::render_changes_json(rep->layers, out);
            else report::render_changes_text(rep->layers, o->long_form, out);
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
