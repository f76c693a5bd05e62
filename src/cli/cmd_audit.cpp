// tarsier audit ARCHIVE [IMAGE]: security findings (setuid files, escaping links, secrets
// left in lower layers, root user, secret-looking environment names ...).
#include "cli/commands.hpp"
#include "query/audit.hpp"
#include "query/changes.hpp"
#include "report/audit_view.hpp"

namespace tarsier::cli {

void add_audit(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format, fail_on;
        bool no_trunc = false;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("audit", "Report security findings: setuid files, escaping links, secrets left in layers, root user");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    add_no_trunc(*sub, o->no_trunc);
    add_format(*sub, o->format, {"json", "sarif", "junit"});
    sub->add_option("--fail-on", o->fail_on, "exit 1 when a finding is at this severity or above (default: never): "
                                             "critical, high, medium, low or info")
        ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}).description(""))
        ->type_name("SEVERITY");
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    add_index_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto sel = query::open_image(o->archive, o->image, g.read, query::kAuditNeeds);
            if (!sel) return fail_with(sel.error());
            auto rep = query::audit_image(sel->archive, *sel->image, g.read);
            if (!rep) return fail_with(rep.error(), o->archive);
            print_findings(rep->findings, o->archive);
            report::AuditViewOptions view;
            view.archive = o->archive;
            view.image_id = sel->image->id;
            if (!o->fail_on.empty()) view.fail_on = audit::parse_severity(o->fail_on);
            view.tool_version = TARSIER_VERSION;
            view.no_trunc = o->no_trunc;
            if (o->format == "json") write_out(report::render_audit_json(rep->report, view));
            else if (o->format == "sarif") write_out(report::render_audit_sarif(rep->report, view));
            else if (o->format == "junit") write_out(report::render_audit_junit(rep->report, view));
            else write_out(report::render_audit_text(rep->report, view));
            return view.fail_on && rep->report.any_at_or_above(*view.fail_on) ? kExitFindings : kExitOk;
        };
    });
}

}  // namespace tarsier::cli
