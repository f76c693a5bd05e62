// tarsier cat ARCHIVE PATH [--image IMAGE] [--layer N]: one file's bytes to standard output.
// The image only as --image, as in files and blame: an argument after the archive is a path.
#include <cstdio>

#include "cli/commands.hpp"
#include "query/cat.hpp"
#include "query/changes.hpp"

namespace tarsier::cli {

void add_cat(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image;
        query::CatOptions cat;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("cat", "Print a file of the merged filesystem after a layer");
    add_archive(*sub, o->archive);
    sub->add_option("PATH", o->cat.path, "the file inside the image (/etc/passwd; a relative path starts at the root)")
        ->required()
        ->type_name("");
    add_image(*sub, o->image, false);
    add_layer(*sub, o->cat.layer, "the filesystem after this layer (default: the top)");
    add_read_options(*sub, g);
    add_index_options(*sub, g);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            o->cat.read = g.read;
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
