// tarsier check ARCHIVE [IMAGE]: verify, audit and waste in one pass, judged by a policy.
#include <filesystem>

#include "cli/commands.hpp"
#include "policy/dive_ci.hpp"
#include "query/check.hpp"
#include "report/check_view.hpp"

namespace tarsier::cli {

namespace {

/// dive's CI file: --ci-config, else ./.dive-ci as dive reads it (unless the policy sets
/// the waste thresholds itself).
util::Result<void> apply_ci_config(const std::string& option, policy::Policy& p) {
    std::string path = option;
    if (path.empty()) {
        std::error_code ec;
        if (!p.waste.source.empty() || !std::filesystem::is_regular_file(".dive-ci", ec)) return {};
        path = ".dive-ci";
    }
    auto rules = policy::load_dive_ci(path);
    if (!rules) return rules.failure();
    p.waste = std::move(*rules);
    return {};
}

}  // namespace

void add_check(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format, policy, ci_config;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("check", "Verify, audit and measure waste in one pass, judged by a policy (a CI gate)");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    sub->add_option("--policy", o->policy, "the policy file (YAML, tarsier-policy(5)); default: verify failures and "
                                           "audit findings of high severity fail")
        ->type_name("FILE");
    add_ci_config(*sub, o->ci_config);
    add_format(*sub, o->format, {"json", "junit", "sarif"});
    add_now(*sub, g);
    add_read_options(*sub, g);
    add_index_options(*sub, g);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            query::CheckOptions opts;
            if (!o->policy.empty()) {
                auto p = policy::load_policy(o->policy);
                if (!p) return fail_with(p.error());
                opts.policy = std::move(*p);
            }
            if (auto ok = apply_ci_config(o->ci_config, opts.policy); !ok) return fail_with(ok.error());
            auto now = now_seconds(g);
            if (!now) return fail_with(now.error());
            opts.now = *now;
            opts.read = g.read;
            auto rep = query::check(o->archive, o->image, opts);
            if (!rep) return fail_with(rep.error(), o->archive);
            print_findings(rep->findings, o->archive);
            const int status = rep->passed() ? kExitOk : kExitFindings;
            if (o->format == "json") write_out(report::render_check_json(*rep));
            else if (o->format == "junit") write_out(report::render_check_junit(*rep));
            else if (o->format == "sarif") write_out(report::render_check_sarif(*rep, {TARSIER_VERSION, status}));
            else write_out(report::render_check_text(*rep));
            return status;
        };
    });
}

}  // namespace tarsier::cli
