// tarsier verify ARCHIVE...: every digest and size checked, CI-grade output.
#include "cli/commands.hpp"
#include "query/verify.hpp"
#include "report/verify_view.hpp"
#include "util/size.hpp"

namespace tarsier::cli {

void add_verify(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::vector<std::string> paths;
        std::string format, max_layer_size = "256G";
        bool quiet = false;
        query::VerifyOptions verify;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("verify", "Check every digest and size in archives (exit 1 on any failure)");
    sub->add_option("ARCHIVE", o->paths, "image archives, OCI layout directories, or - for standard input")
        ->required()
        ->type_name("");
    sub->add_flag("-q,--quiet", o->quiet, "print only failures");
    sub->add_flag("--strict", o->verify.strict, "warnings fail too (unreferenced blobs, duplicate entries, ...)");
    add_format(*sub, o->format, {"json", "junit"});
    sub->add_option("--max-layer-size", o->max_layer_size,
                    "fail a layer that decodes to more than this (default 256G; 64G, 512M, 20GB, plain bytes)")
        ->type_name("SIZE");
    sub->add_option("--max-ratio", o->verify.max_ratio, "fail a layer that decodes to more than N times its size (default 2000; 0: off)")
        ->type_name("N");
    add_read_options(*sub, g);
    add_no_progress(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto max = util::parse_size(o->max_layer_size, "--max-layer-size");
            if (!max) return fail_with(max.error());
            o->verify.max_layer_size = *max;
            o->verify.read = g.read;
            std::vector<query::VerifyOutcome> outcomes;
            int status = kExitOk;
            for (const auto& path : o->paths) {
                auto out = query::verify(path, o->verify);
                if (out.error) status = std::max(status, fail_with(*out.error));
                else if (!out.report->ok()) status = std::max(status, static_cast<int>(kExitFindings));
                // Text goes out archive by archive, as each is done.
                if (o->format == "text") write_out(report::render_verify_text(out, o->quiet));
                outcomes.push_back(std::move(out));
            }
            if (o->format == "json") write_out(report::render_verify_json(outcomes));
            if (o->format == "junit") write_out(report::render_verify_junit(outcomes));
            return status;
        };
    });
}

}  // namespace tarsier::cli
