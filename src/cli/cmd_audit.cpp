// tarsier audit ARCHIVE [IMAGE]: security findings (setuid files, escaping links, secrets
// left in lower layers, root user, secret-looking environment names ...).
#include "audit/audit.hpp"
#include "cli/commands.hpp"
#include "report/audit_view.hpp"

namespace tarsier::cli {

void add_audit(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format = "text", fail_on;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("audit", "Report security findings: setuid files, escaping links, secrets left in layers, root user");
    sub->add_option("ARCHIVE", o->archive, "image archive, OCI layout directory, or - for standard input")->required();
    sub->add_option("IMAGE", o->image, "reference, ID prefix or @N (needed when the archive holds several images)");
    sub->add_option("--format", o->format, "'text' (default), 'json', 'sarif' or 'junit'")
        ->check(CLI::IsMember({"text", "json", "sarif", "junit"}));
    sub->add_option("--fail-on", o->fail_on, "exit 1 when a finding is at this severity or above (default: never)")
        ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}))
        ->type_name("SEVERITY");
    add_global_options(*sub, g);
    add_content_digest_option(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto sel = open_image(o->archive, o->image, g, true);
            if (!sel) return fail_with(sel.error());
            auto indexes = layer_indexes(sel->archive, *sel->image, g);
            if (!indexes) return fail_with(indexes.error(), o->archive);
            auto rep = audit::audit_image(sel->archive, *sel->image, *indexes);
            report::AuditViewOptions view;
            view.archive = o->archive;
            view.image_id = sel->image->id;
            if (!o->fail_on.empty()) view.fail_on = audit::parse_severity(o->fail_on);
            view.tool_version = TARSIER_VERSION;
            if (o->format == "json") write_out(report::render_audit_json(rep, view));
            else if (o->format == "sarif") write_out(report::render_audit_sarif(rep, view));
            else if (o->format == "junit") write_out(report::render_audit_junit(rep, view));
            else write_out(report::render_audit_text(rep, view));
            return view.fail_on && rep.any_at_or_above(*view.fail_on) ? kExitFindings : kExitOk;
        };
    });
}

}  // namespace tarsier::cli
