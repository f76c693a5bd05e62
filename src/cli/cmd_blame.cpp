// tarsier blame ARCHIVE [IMAGE] PATH: which layers added, changed or deleted a path.
#include "cli/commands.hpp"
#include "fs/diff.hpp"
#include "report/diff_view.hpp"

namespace tarsier::cli {

void add_blame(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, format;
        std::vector<std::string> rest;
        bool no_trunc = false;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("blame", "Show every layer that added, changed or deleted a path or anything below it");
    sub->add_option("ARCHIVE", o->archive, "image archive, OCI layout directory, or - for standard input")->required();
    sub->add_option("IMAGE_AND_PATH", o->rest,
                    "an optional IMAGE (reference, ID prefix or @N), then the PATH inside the image (e.g. /etc/passwd)")
        ->required()
        ->expected(1, 2);
    sub->add_flag("--no-trunc", o->no_trunc, "don't truncate digests and CREATED BY");
    sub->add_option("--format", o->format, "'text' (default) or 'json'")->check(CLI::IsMember({"text", "json"}));
    add_global_options(*sub, g);
    add_content_digest_option(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            // One argument is the path; with two, the first chooses the image.
            std::string selector = o->rest.size() == 2 ? o->rest.front() : std::string();
            std::string path = fs::normalise_path(o->rest.back());
            auto sel = open_image(o->archive, selector, g, true);
            if (!sel) return fail_with(sel.error());
            const image::Archive& ar = sel->archive;
            const image::Image& im = *sel->image;
            auto indexes = layer_indexes(ar, im, g);
            if (!indexes) return fail_with(indexes.error(), o->archive);
            std::vector<report::LayerChangeSet> sets;
            fs::MergedTree tree;  // holds what the changes point at
            for (auto& touched : fs::blame(*indexes, path, tree)) {
                report::LayerChangeSet set;
                set.position = touched.layer;
                const auto& layer = ar.layers[im.layers[touched.layer].layer];
                set.digest = layer.digest.empty() ? im.layers[touched.layer].diff_id : layer.digest;
                int history = im.layers[touched.layer].history;
                if (history >= 0) set.created_by = im.config.history[static_cast<std::size_t>(history)].created_by;
                set.changes.changes.assign(std::make_move_iterator(touched.changes.begin()),
                                           std::make_move_iterator(touched.changes.end()));
                sets.push_back(std::move(set));
            }
            auto out = stdout_sink();
            if (o->format == "json") report::render_blame_json(path, sets, out);
            else report::render_blame_text(sets, o->no_trunc, out);
            // Like grep: 1 when no layer ever touched the path.
            return sets.empty() ? kExitFindings : kExitOk;
        };
    });
}

}  // namespace tarsier::cli
