// tarsier changes ARCHIVE [IMAGE] [--layer N|DIGEST]: what each layer did to the filesystem.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "fs/tree.hpp"
#include "image/select.hpp"
#include "report/changes_view.hpp"

namespace tarsier::cli {

void add_changes(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, layer, format;
        bool long_form = false;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("changes", "Show each layer's file changes like 'docker diff' (A, C, D)");
    sub->add_option("ARCHIVE", o->archive, "image archive, OCI layout directory, or - for standard input")->required();
    sub->add_option("IMAGE", o->image, "reference, ID prefix or @N (needed when the archive holds several images)");
    sub->add_option("--layer", o->layer, "only this layer: its position (0 = base) or a digest or diff_id prefix")
        ->type_name("N|DIGEST");
    sub->add_flag("-l,--long", o->long_form, "add type, mode, owner and size (old => new)");
    sub->add_option("--format", o->format, "'text' (default) or 'json'")->check(CLI::IsMember({"text", "json"}));
    add_global_options(*sub, g);
    add_content_digest_option(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto sel = open_image(o->archive, o->image, g, true);
            if (!sel) return fail_with(sel.error());
            const image::Archive* ar = &sel->archive;
            const image::Image& im = *sel->image;
            auto chosen = select_layer(*ar, im, o->layer);
            if (!chosen) return fail_with(chosen.error(), o->archive);
            auto indexes = layer_indexes(*ar, im, g);
            if (!indexes) return fail_with(indexes.error(), o->archive);
            fs::MergedTree tree;
            std::vector<report::LayerChangeSet> sets;
            for (std::size_t i = 0; i < indexes->size(); ++i) {
                auto changes = tree.apply((*indexes)[i], i);
                if (*chosen && **chosen != i) continue;
                report::LayerChangeSet set;
                set.position = i;
                const auto& layer = ar->layers[im.layers[i].layer];
                set.digest = layer.digest.empty() ? im.layers[i].diff_id : layer.digest;
                if (im.layers[i].history >= 0) set.created_by = im.config.history[static_cast<std::size_t>(im.layers[i].history)].created_by;
                set.changes = std::move(changes);
                sets.push_back(std::move(set));
            }
            auto out = stdout_sink();
            if (o->format == "json") report::render_changes_json(sets, out);
            else report::render_changes_text(sets, o->long_form, out);
            return kExitOk;
        };
    });
}

util::Result<std::optional<std::size_t>> select_layer(const image::Archive& ar, const image::Image& img, const std::string& sel) {
    using Out = std::optional<std::size_t>;
    if (sel.empty()) return Out{};
    bool digits = sel.find_first_not_of("0123456789") == std::string::npos;
    if (digits) {
        std::size_t n = std::stoul(sel);
        if (n >= img.layers.size())
            return util::fail(util::ErrorKind::usage, "--layer", fmt::format("the image has {} layers (0 to {})", img.layers.size(), img.layers.size() - 1));
        return Out(n);
    }
    std::string hex = sel.starts_with("sha256:") ? sel.substr(7) : sel;
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < img.layers.size(); ++i) {
        for (const std::string& d : {ar.layers[img.layers[i].layer].digest, img.layers[i].diff_id}) {
            std::string dh = d.starts_with("sha256:") ? d.substr(7) : d;
            if (!hex.empty() && dh.starts_with(hex)) {
                if (found && *found != i) return util::fail(util::ErrorKind::usage, "--layer", fmt::format("'{}' matches several layers", sel));
                found = i;
            }
        }
    }
    if (!found) return util::fail(util::ErrorKind::usage, "--layer", fmt::format("no layer matches '{}'", sel));
    return Out(found);
}

}  // namespace tarsier::cli
