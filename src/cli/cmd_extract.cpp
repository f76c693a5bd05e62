// tarsier extract ARCHIVE [IMAGE] [PATH...] --to DIR [--layer N]: the merged filesystem
// written into a directory, never outside it. The first argument after the archive is the
// image when it selects one of the archive's images and does not start with '/'.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "query/extract.hpp"
#include "query/changes.hpp"

namespace tarsier::cli {

void add_extract(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image;
        query::ExtractOptions ex;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("extract", "Write the merged filesystem after a layer into a directory, safely");
    add_archive(*sub, o->archive);
    sub->add_option("PATH", o->ex.patterns,
                    "[IMAGE] [PATH...]: only these paths and what is below them, or globs ('/etc/*'); relative paths "
                    "start at the root; a first argument that selects an image of the archive (and does not start "
                    "with '/') is the image")
        ->type_name("");
    add_image(*sub, o->image, false);
    add_layer(*sub, o->ex.layer, "the filesystem after this layer (default: the top)");
    sub->add_option("--to", o->ex.to, "the directory to write into: created when absent, must be empty unless --force")
        ->required()
        ->type_name("DIR");
    sub->add_flag("--force", o->ex.force, "write into DIR even when it is not empty (replacing files, never following its symlinks)");
    sub->add_flag("--same-owner", o->ex.same_owner, "give files their owners and extended attributes (root only)");
    sub->add_flag("--devices", o->ex.devices, "create device nodes (root only; skipped otherwise)");
    sub->add_flag("--preserve-setuid", o->ex.preserve_setuid, "keep setuid and setgid bits of files (dropped otherwise)");
    add_read_options(*sub, g);
    add_index_options(*sub, g, false);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            o->ex.read = g.read;
            if (auto over = writes_over_input(o->archive, o->ex.to)) return fail_with(*over);
            if (o->archive != "-") o->ex.keep.push_back(o->archive);  // with --force, DIR may hold it
            std::string input = o->archive;
            if (auto code = spool_if_stream(input)) return *code;
            auto ar = query::open_archive(input, g.read, query::kFilesNeeds);
            if (!ar) return fail_with(named_as(ar.error(), input, o->archive));
            auto& pats = o->ex.patterns;
            std::optional<util::Result<const image::Image*>> first;
            if (o->image.empty() && !pats.empty() && !pats.front().starts_with('/'))
                first = query::choose_image(*ar, pats.front());
            auto img = first && *first ? std::move(*first) : query::choose_image(*ar, o->image);
            if (!img) return fail_with(named_as(img.error(), input, o->archive));
            if (first && *first) pats.erase(pats.begin());
            auto rep = query::extract(*ar, **img, o->ex);
            if (!rep) return fail_with(named_as(rep.error(), input, o->archive), o->archive);
            print_findings(rep->findings, o->archive);
            for (const auto& p : rep->unmatched) print_note(fmt::format("no path matches '{}'", p));
            return rep->refused == 0 && rep->unmatched.empty() ? kExitOk : kExitFindings;
        };
    });
}

}  // namespace tarsier::cli
