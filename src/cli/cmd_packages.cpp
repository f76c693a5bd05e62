// tarsier packages ARCHIVE [IMAGE] [--layer N] [--unowned] [--verify-files]: the installed
// packages (dpkg, apk, rpm) at a layer, which layer installed and last changed each, and
// what every layer did to them.
#include "cli/commands.hpp"
#include "query/packages.hpp"
#include <ctime>

#include "report/packages_view.hpp"
#include "report/sbom.hpp"
#include "report/units.hpp"

namespace tarsier::cli {

void add_packages(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
        bool timestamp = false;
        query::PackagesOptions packages;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("packages", "List installed packages (dpkg, apk, rpm) and what each layer did to them");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    add_layer(*sub, o->packages.layer, "the packages after this layer");
    sub->add_flag("--unowned", o->packages.unowned, "list the files and symlinks that no package owns");
    sub->add_flag("--verify-files", o->packages.verify_files,
                  "check package files against the digests their database records (exit 1 on a mismatch)");
    add_format(*sub, o->format, {"json", "cyclonedx", "cyclonedx-1.7", "spdx"});
    sub->add_flag("--timestamp", o->timestamp,
                  "with --format cyclonedx or spdx: record when the document was made (left out otherwise, "
                  "so that the same image gives the same bytes)");
    add_read_options(*sub, g);
    add_index_options(*sub, g);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            o->packages.read = g.read;
            // Only the SBOMs show the files' digests (and --verify-files checks them).
            const bool sbom = o->format.starts_with("cyclonedx") || o->format == "spdx";
            o->packages.file_digests = sbom;
            auto sel = query::open_image(o->archive, o->image, g.read, query::packages_needs(o->packages));
            if (!sel) return fail_with(sel.error());
            auto rep = query::packages(sel->archive, *sel->image, o->packages);
            if (!rep) return fail_with(rep.error(), o->archive);
            print_findings(rep->findings, o->archive);
            auto out = stdout_sink();
            if (o->format == "json") {
                report::render_packages_json(*rep, out);
            } else if (sbom) {
                report::SbomOptions so;
                so.tool_version = TARSIER_VERSION;
                if (o->format == "cyclonedx-1.7") so.cyclonedx_version = "1.7";
                if (o->timestamp) so.timestamp = report::rfc3339(std::time(nullptr));
                out(o->format == "spdx" ? report::render_spdx(*sel->image, *rep, so)
                                        : report::render_cyclonedx(*sel->image, *rep, so));
            } else {
                report::render_packages_text(*rep, out);
            }
            return rep->file_checks && !rep->file_checks->empty() ? kExitFindings : kExitOk;
        };
    });
}

}  // namespace tarsier::cli
