// tarsier diff OLD_ARCHIVE NEW_ARCHIVE [--old-image SEL] [--new-image SEL]: what differs
// between two images.
#include "cli/commands.hpp"
#include "fs/diff.hpp"
#include "image/select.hpp"
#include "report/diff_view.hpp"

namespace tarsier::cli {

namespace {

/// The filesystem after the image's last layer.
util::Result<fs::MergedTree> merged_top(const image::Archive& ar, const image::Image& im, const GlobalOptions& g) {
    auto indexes = layer_indexes(ar, im, g);
    if (!indexes) return indexes.failure();
    fs::MergedTree tree;
    for (std::size_t i = 0; i < indexes->size(); ++i) tree.apply((*indexes)[i], i, false);
    return tree;
}

report::DiffSide side_of(const std::string& path, const image::Image& im) {
    report::DiffSide s{path, im.id, {}};
    for (const auto& r : im.references) s.references.push_back(r.str());
    return s;
}

}  // namespace

void add_diff(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string old_archive, new_archive, old_image, new_image, format;
        fs::ImageDiffOptions diff;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("diff", "Compare two images: files, config, history and layers");
    sub->add_option("OLD_ARCHIVE", o->old_archive, "the archive (or OCI layout directory, or -) holding the old image")
        ->required();
    sub->add_option("NEW_ARCHIVE", o->new_archive, "the archive holding the new image (may be the same as OLD_ARCHIVE)")
        ->required();
    sub->add_option("--old-image", o->old_image, "the old image in OLD_ARCHIVE: reference, ID prefix or @N")->type_name("IMAGE");
    sub->add_option("--new-image", o->new_image, "the new image in NEW_ARCHIVE: reference, ID prefix or @N")->type_name("IMAGE");
    sub->add_flag("--ignore-timestamps", o->diff.files.ignore_timestamps, "don't compare file modification times");
    sub->add_flag("--ignore-owner", o->diff.files.ignore_owner, "don't compare file owners (uid, gid)");
    sub->add_flag("--ignore-mode", o->diff.files.ignore_mode, "don't compare file permission bits");
    sub->add_flag("--ignore-config", o->diff.ignore_config, "don't compare the image configuration");
    sub->add_flag("--ignore-history", o->diff.ignore_history, "don't compare the history (CREATED BY)");
    sub->add_flag("--ignore-layers", o->diff.ignore_layers, "don't compare the layer diff_ids");
    sub->add_flag("--ignore-created", o->diff.ignore_created, "don't compare creation times (config and history)");
    sub->add_flag("--ignore-docker-version", o->diff.ignore_docker_version,
                  "don't compare docker_version, container and container_config");
    sub->add_option("--ignore-field", o->diff.ignore_fields, "don't compare this config field or group (repeatable)")
        ->type_name("NAME")
        ->check(CLI::Validator([](std::string& n) { return fs::is_config_field(n) ? "" : "unknown config field '" + n + "'"; }, ""));
    sub->add_option("--format", o->format, "'text' (default) or 'json'")->check(CLI::IsMember({"text", "json"}));
    add_global_options(*sub, g);
    add_content_digest_option(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            // One path named twice is opened once and both images are chosen in it, so
            // that "-" can be compared with itself (standard input is read only once).
            auto old_sel = open_image(o->old_archive, o->old_image, g, true);
            if (!old_sel) return fail_with(old_sel.error());
            std::optional<Selected> other;
            const image::Archive* new_ar = &old_sel->archive;
            const image::Image* new_im = nullptr;
            if (o->new_archive == o->old_archive) {
                auto img = image::select_image(old_sel->archive, o->new_image);
                if (!img) return fail_with(img.error(), o->new_archive);
                new_im = *img;
            } else {
                auto opened = open_image(o->new_archive, o->new_image, g, true);
                if (!opened) return fail_with(opened.error());
                other.emplace(std::move(*opened));
                new_ar = &other->archive;
                new_im = other->image;
            }
            auto old_tree = merged_top(old_sel->archive, *old_sel->image, g);
            if (!old_tree) return fail_with(old_tree.error(), o->old_archive);
            auto new_tree = merged_top(*new_ar, *new_im, g);
            if (!new_tree) return fail_with(new_tree.error(), o->new_archive);

            report::DiffReport r;
            r.before = side_of(o->old_archive, *old_sel->image);
            r.after = side_of(o->new_archive, *new_im);
            r.options = o->diff;
            r.differences = fs::diff_images({&*old_tree, &old_sel->image->config}, {&*new_tree, &new_im->config}, o->diff);
            auto out = stdout_sink();
            if (o->format == "json") report::render_diff_json(r, out);
            else report::render_diff_text(r, out);
            return r.differences.differ() ? kExitFindings : kExitOk;
        };
    });
}

}  // namespace tarsier::cli
