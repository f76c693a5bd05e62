// tarsier waste ARCHIVE [IMAGE]: wasted space, dive's numbers or corrected ones, with CI rules.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "fs/waste.hpp"
#include "image/select.hpp"
#include "report/waste_view.hpp"

namespace tarsier::cli {

void add_waste(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
        bool dive = false;
        std::optional<double> lowest_efficiency, highest_user_wasted;
        std::optional<std::uint64_t> highest_wasted_bytes;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("waste", "Show wasted space: files written by several layers (like dive)");
    sub->add_option("ARCHIVE", o->archive, "image archive, OCI layout directory, or - for standard input")->required();
    sub->add_option("IMAGE", o->image, "reference, ID prefix or @N (needed when the archive holds several images)");
    sub->add_flag("--dive-compatible", o->dive, "count wasted bytes as dive does (every copy of a duplicated file)");
    sub->add_option("--lowest-efficiency", o->lowest_efficiency, "exit 1 when the efficiency is below this (0..1)")
        ->type_name("RATIO");
    sub->add_option("--highest-wasted-bytes", o->highest_wasted_bytes, "exit 1 when more bytes than this are wasted")
        ->type_name("BYTES");
    sub->add_option("--highest-user-wasted-percent", o->highest_user_wasted,
                    "exit 1 when wasted bytes exceed this fraction of the non-base layers (0..1, as dive)")
        ->type_name("RATIO");
    sub->add_option("--format", o->format, "'table' (default) or 'json'")->check(CLI::IsMember({"table", "json"}));
    add_global_options(*sub, g);
    add_content_digest_option(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto sel = open_image(o->archive, o->image, g, true);
            if (!sel) return fail_with(sel.error());
            auto indexes = layer_indexes(sel->archive, *sel->image, g);
            if (!indexes) return fail_with(indexes.error(), o->archive);
            auto rep = fs::compute_waste(*indexes, o->dive);
            std::vector<std::string> violations;
            if (o->lowest_efficiency && rep.efficiency < *o->lowest_efficiency)
                violations.push_back(fmt::format("lowest-efficiency: efficiency {:.4f} is below {}", rep.efficiency, *o->lowest_efficiency));
            if (o->highest_wasted_bytes && rep.wasted_bytes > *o->highest_wasted_bytes)
                violations.push_back(fmt::format("highest-wasted-bytes: {} bytes wasted, more than {}", rep.wasted_bytes, *o->highest_wasted_bytes));
            if (o->highest_user_wasted && rep.user_wasted_fraction > *o->highest_user_wasted)
                violations.push_back(fmt::format("highest-user-wasted-percent: {:.4f} of the user layers is wasted, more than {}",
                                                 rep.user_wasted_fraction, *o->highest_user_wasted));
            auto out = stdout_sink();
            if (o->format == "json") report::render_waste_json(rep, o->dive, violations, out);
            else report::render_waste_table(rep, o->dive, violations, out);
            return violations.empty() ? kExitOk : kExitFindings;
        };
    });
}

}  // namespace tarsier::cli
