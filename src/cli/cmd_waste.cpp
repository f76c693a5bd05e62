// tarsier waste ARCHIVE [IMAGE]: wasted space, dive's numbers or corrected ones, with CI rules.
#include "cli/commands.hpp"
#include "query/changes.hpp"
#include "policy/dive_ci.hpp"
#include "query/waste.hpp"
#include "query/waste_rules.hpp"
#include "report/waste_view.hpp"
#include "util/size.hpp"

namespace tarsier::cli {

void add_waste(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format, highest_wasted_bytes, ci_config;
        query::WasteOptions waste;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("waste", "Show wasted space: files written by several layers (like dive)");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    sub->add_flag("--dive-compatible", o->waste.dive_compatible, "count wasted bytes as dive does (every copy of a duplicated file)");
    sub->add_option("--lowest-efficiency", o->waste.lowest_efficiency, "exit 1 when the efficiency is below this (0..1)")
        ->type_name("RATIO");
    sub->add_option("--highest-wasted-bytes", o->highest_wasted_bytes,
                    "exit 1 when more bytes than this are wasted (bytes, or a size: 20MB, 1.5GiB, 512k)")
        ->type_name("SIZE");
    sub->add_option("--highest-user-wasted-percent", o->waste.highest_user_wasted,
                    "exit 1 when wasted bytes exceed this fraction of the non-base layers (0..1, as dive)")
        ->type_name("RATIO");
    add_ci_config(*sub, o->ci_config);
    add_format(*sub, o->format, {"json"});
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    add_index_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            if (!o->highest_wasted_bytes.empty()) {
                auto bytes = util::parse_size(o->highest_wasted_bytes, "--highest-wasted-bytes");
                if (!bytes) return fail_with(bytes.error());
                o->waste.highest_wasted_bytes = *bytes;
            }
            if (auto ok = query::check_waste_options(o->waste); !ok) return fail_with(ok.error());
            std::optional<policy::WasteRules> ci;
            if (!o->ci_config.empty()) {
                if (o->waste.lowest_efficiency || o->waste.highest_wasted_bytes || o->waste.highest_user_wasted)
                    return fail_with(util::make_error(util::ErrorKind::usage, "--ci-config",
                                                      "the rules come from the file or from the options, not both"));
                auto rules = policy::load_dive_ci(o->ci_config);
                if (!rules) return fail_with(rules.error());
                ci = std::move(*rules);
            }
            o->waste.read = g.read;
            auto sel = query::open_image(o->archive, o->image, g.read, query::kFilesNeeds);
            if (!sel) return fail_with(sel.error());
            auto rep = query::waste(sel->archive, *sel->image, o->waste);
            if (!rep) return fail_with(rep.error(), o->archive);
            print_findings(rep->findings, o->archive);
            auto out = stdout_sink();
            if (ci) {
                // dive's CI rules: dive's summary in dive's mode, tarsier's table otherwise.
                auto results = query::evaluate_waste_rules(rep->report, *ci);
                rep->violations = query::violation_lines(results);
                if (o->waste.dive_compatible && o->format != "json") {
                    report::render_waste_dive_ci(rep->report, results, out);
                    return rep->violations.empty() ? kExitOk : kExitFindings;
                }
            }
            if (o->format == "json") report::render_waste_json(rep->report, o->waste.dive_compatible, rep->violations, out);
            else report::render_waste_table(rep->report, o->waste.dive_compatible, rep->violations, out);
            return rep->violations.empty() ? kExitOk : kExitFindings;
        };
    });
}

}  // namespace tarsier::cli
