// tarsier layers ARCHIVE [IMAGE]: per-layer download, uncompressed and content sizes.
#include "cli/commands.hpp"
#include "cli/format_template.hpp"
#include "query/layers.hpp"
#include "report/layers_view.hpp"

namespace tarsier::cli {

void add_layers(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
        bool no_trunc = false;
        query::LayersOptions layers;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("layers", "Show each layer's digests and download, uncompressed and content sizes");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    add_no_trunc(*sub, o->no_trunc);
    sub->add_flag("--estimate-download", o->layers.estimate_download,
                  "estimate the gzip -6 size of layers stored uncompressed (docker save)");
    add_format(*sub, o->format, {"json"}, FormatTemplates::docker);
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            o->layers.read = g.read;
            auto tmpl = format_template(o->format, report::TemplateDialect::formatter);
            if (!tmpl) return fail_with(tmpl.error());
            auto sel = query::open_image(o->archive, o->image, g.read, query::layers_needs(o->layers));
            if (!sel) return fail_with(sel.error());
            auto rep = query::layers(sel->archive, *sel->image, o->layers);
            print_findings(rep.findings, o->archive);
            report::LayersOptions lo;
            lo.no_trunc = o->no_trunc;
            if (*tmpl) {
                auto text = report::render_layers_template(rep, **tmpl);
                if (!text) return fail_with(text.error(), "--format");
                write_out(*text);
                return kExitOk;
            }
            write_out(o->format == "json" ? report::render_layers_json(rep) : report::render_layers_table(rep, lo));
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
