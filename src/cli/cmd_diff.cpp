// tarsier diff OLD_ARCHIVE NEW_ARCHIVE [--old-image SEL] [--new-image SEL]: what differs
// between two images.
#include <optional>

#include "cli/commands.hpp"
#include "query/diff.hpp"
#include "report/diff_view.hpp"

namespace tarsier::cli {

void add_diff(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string old_archive, new_archive, old_image, new_image, format;
        bool no_trunc = false;
        fs::ImageDiffOptions diff;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("diff", "Compare two images: files, config, history and layers");
    sub->add_option("OLD_ARCHIVE", o->old_archive, "the archive (or OCI layout directory, or -) holding the old image")
        ->required()
        ->type_name("");
    sub->add_option("NEW_ARCHIVE", o->new_archive, "the archive holding the new image (may be the same as OLD_ARCHIVE)")
        ->required()
        ->type_name("");
    sub->add_option("--old-image", o->old_image, "the old image in OLD_ARCHIVE: reference, ID prefix, @sha256:DIGEST or @N")
        ->type_name("IMAGE");
    sub->add_option("--new-image", o->new_image, "the new image in NEW_ARCHIVE: reference, ID prefix, @sha256:DIGEST or @N")
        ->type_name("IMAGE");
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
    add_no_trunc(*sub, o->no_trunc);
    add_format(*sub, o->format, {"json"});
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    add_index_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            // One path named twice is opened once and both images are chosen in it, so
            // that "-" can be compared with itself (standard input is read only once).
            auto before = query::open_image(o->old_archive, o->old_image, g.read, query::kPackagesNeeds);
            if (!before) return fail_with(before.error());
            std::optional<query::Selected> other;
            const image::Archive* after_archive = &before->archive;
            const image::Image* after_image = nullptr;
            if (o->new_archive == o->old_archive) {
                auto img = query::choose_image(before->archive, o->new_image);
                if (!img) return fail_with(img.error());
                after_image = *img;
            } else {
                auto opened = query::open_image(o->new_archive, o->new_image, g.read, query::kPackagesNeeds);
                if (!opened) return fail_with(opened.error());
                other.emplace(std::move(*opened));
                after_archive = &other->archive;
                after_image = other->image;
            }
            auto rep = query::diff(before->archive, *before->image, *after_archive, *after_image, o->diff, g.read);
            if (!rep) return fail_with(rep.error());
            print_findings(rep->findings);
            auto out = stdout_sink();
            if (o->format == "json") report::render_diff_json(*rep, out);
            else report::render_diff_text(*rep, out, o->no_trunc);
            return rep->differ() ? kExitFindings : kExitOk;
        };
    });
}

}  // namespace tarsier::cli
