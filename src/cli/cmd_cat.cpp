// tarsier cat ARCHIVE [IMAGE] PATH [--layer N]: one file's bytes to standard output.
// With one argument after the archive it is the path; with two, the image and the path
// (one positional of up to two values: as two positionals, CLI11 would give an optional
// IMAGE before PATH the only argument).
#include <cstdio>

#include "cli/commands.hpp"
#include "query/cat.hpp"
#include "query/changes.hpp"

namespace tarsier::cli {

void add_cat(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image;
        std::vector<std::string> args;  // [IMAGE] PATH
        query::CatOptions cat;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("cat", "Print a file of the merged filesystem after a layer");
    add_archive(*sub, o->archive);
    sub->add_option("PATH", o->args,
                    "[IMAGE] PATH: the file inside the image (/etc/passwd; a relative path starts at the root), "
                    "after the image when there are two")
        ->required()
        ->type_name("");
    add_image(*sub, o->image, false);
    add_layer(*sub, o->cat.layer, "the filesystem after this layer (default: the top)");
    add_read_options(*sub, g);
    add_index_options(*sub, g, false);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            o->cat.read = g.read;
            if (o->args.size() > 2)
                return fail_with(util::make_error(util::ErrorKind::usage, "PATH", "one path, after the image if one is given"));
            if (o->args.size() == 2) {
                if (!o->image.empty())
                    return fail_with(util::make_error(util::ErrorKind::usage, "IMAGE", "given twice: as an argument and as --image"));
                o->image = o->args.front();
            }
            o->cat.path = o->args.back();
            std::string input = o->archive;
            if (auto code = spool_if_stream(input)) return *code;
            auto sel = query::open_image(input, o->image, g.read, query::kFilesNeeds);
            if (!sel) return fail_with(named_as(sel.error(), input, o->archive));
            auto findings = query::cat(sel->archive, *sel->image, o->cat, [](std::span<const std::uint8_t> b) -> util::Result<void> {
                if (std::fwrite(b.data(), 1, b.size(), stdout) != b.size())
                    return util::fail(util::ErrorKind::unreadable, "standard output", "write failed");
                return {};
            });
            if (!findings) return fail_with(named_as(findings.error(), input, o->archive), o->archive);
            print_findings(*findings, o->archive);
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
