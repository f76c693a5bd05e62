// tarsier verify ARCHIVE...: every digest and size checked, CI-grade output.
#include <charconv>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "report/verify_view.hpp"
#include "verify/verify.hpp"

namespace tarsier::cli {

namespace {

/// Parses "64G", "512M", "1000000" into bytes.
util::Result<std::uint64_t> parse_size(const std::string& s) {
    std::uint64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p == s.data())
        return util::fail(util::ErrorKind::usage, "--max-layer-size", fmt::format("'{}' is not a size (e.g. 64G, 512M)", s));
    std::string_view unit(p, static_cast<std::size_t>(s.data() + s.size() - p));
    int shift = 0;
    if (unit == "" || unit == "B") shift = 0;
    else if (unit == "K" || unit == "KiB") shift = 10;
    else if (unit == "M" || unit == "MiB") shift = 20;
    else if (unit == "G" || unit == "GiB") shift = 30;
    else if (unit == "T" || unit == "TiB") shift = 40;
    else return util::fail(util::ErrorKind::usage, "--max-layer-size", fmt::format("unknown unit in '{}' (use K, M, G or T)", s));
    if (shift > 0 && n > (UINT64_MAX >> shift)) return util::fail(util::ErrorKind::usage, "--max-layer-size", "too large");
    return n << shift;
}

}  // namespace

void add_verify(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::vector<std::string> paths;
        std::string format = "text", max_layer_size = "256G";
        std::uint64_t max_ratio = 2000;
        bool quiet = false, strict = false;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("verify", "Check every digest and size in archives (exit 1 on any failure)");
    sub->add_option("ARCHIVE", o->paths, "image archives, OCI layout directories, or - for standard input")->required();
    sub->add_flag("-q,--quiet", o->quiet, "print only failures");
    sub->add_flag("--strict", o->strict, "warnings fail too (unreferenced blobs, duplicate entries, ...)");
    sub->add_option("--format", o->format, "'text' (default), 'json' or 'junit'")->check(CLI::IsMember({"text", "json", "junit"}));
    sub->add_option("--max-layer-size", o->max_layer_size, "fail a layer that decodes to more than this (default 256G)")
        ->type_name("SIZE");
    sub->add_option("--max-ratio", o->max_ratio, "fail a layer that decodes to more than N times its size (default 2000; 0: off)")
        ->type_name("N");
    add_global_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto max = parse_size(o->max_layer_size);
            if (!max) {
                print_error(max.error());
                return exit_code(max.error());
            }
            verify::VerifyOptions vo;
            vo.jobs = job_count(g);
            vo.strict = o->strict;
            vo.platform = g.platform;
            vo.platform_explicit = g.platform_set;
            vo.max_layer_size = *max;
            vo.max_ratio = o->max_ratio;
            std::vector<report::VerifyOutcome> outcomes;
            int status = kExitOk;
            for (const auto& path : o->paths) {
                report::VerifyOutcome out;
                out.archive = path;
                auto r = verify::verify_archive(path, vo);
                if (r) {
                    out.report = std::move(*r);
                    if (!out.report->ok()) status = std::max(status, static_cast<int>(kExitFindings));
                } else {
                    out.error = r.error();
                    print_error(r.error());
                    status = std::max(status, exit_code(r.error()));
                }
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
