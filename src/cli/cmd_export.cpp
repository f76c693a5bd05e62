// tarsier export ARCHIVE [IMAGE] [--layer N | --layer-only N] [-o FILE] [--compress ALG]:
// the merged filesystem as one tar stream.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/commands.hpp"
#include "query/export.hpp"
#include "query/changes.hpp"

namespace tarsier::cli {

void add_export(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, output = "-", compress = "none";
        query::ExportOptions exp;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("export", "Write the merged filesystem after a layer as one tar stream, like 'docker export'");
    add_archive(*sub, o->archive);
    add_image(*sub, o->image);
    add_layer(*sub, o->exp.layer, "the filesystem after this layer (default: the top)");
    sub->add_option("--layer-only", o->exp.layer_only,
                    "write this layer's own tar as stored (decompressed) instead: its position or a unique digest prefix")
        ->type_name("N|DIGEST");
    sub->add_option("-o,--output", o->output, "write the tar to FILE (default -, standard output, never a terminal)")
        ->type_name("FILE");
    sub->add_option("--compress", o->compress, "compress the stream: gzip, zstd or none (default)")
        ->check(CLI::IsMember({"gzip", "zstd", "none"}).description(""))
        ->type_name("ALG");
    add_read_options(*sub, g);
    add_index_options(*sub, g, false);
    add_no_progress(*sub, g);
    sub->callback([o, sub, &g, &run] {
        run = [o, sub, &g]() -> int {
            if (sub->count("--layer") > 0 && sub->count("--layer-only") > 0)
                return fail_with(util::make_error(util::ErrorKind::usage, "--layer-only", "--layer and --layer-only exclude each other"));
            auto compression = archive::parse_write_compression(o->compress);
            if (!compression) return fail_with(compression.error());
            o->exp.compression = *compression;
            o->exp.read = g.read;
            bool to_stdout = o->output == "-";
            if (to_stdout && ::isatty(1))
                return fail_with(util::make_error(util::ErrorKind::usage, "-o", "refusing to write a tar to a terminal (use -o FILE or a pipe)"));
            if (auto over = writes_over_input(o->archive, o->output)) return fail_with(*over);
            std::string input = o->archive;
            if (auto code = spool_if_stream(input)) return *code;
            auto sel = query::open_image(input, o->image, g.read, o->exp.layer_only.empty() ? query::kFilesNeeds : query::Needs{});
            if (!sel) return fail_with(named_as(sel.error(), input, o->archive));
            int fd = 1;
            if (!to_stdout) {
                fd = ::open(o->output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
                if (fd < 0)
                    return fail_with(util::make_error(util::ErrorKind::unreadable, o->output,
                                                      std::string("cannot create: ") + std::strerror(errno)));
            }
            std::fflush(stdout);
            auto rep = query::export_tar(sel->archive, *sel->image, o->exp, fd);
            if (!to_stdout && ::close(fd) != 0 && rep)
                return fail_with(util::make_error(util::ErrorKind::unreadable, o->output, std::strerror(errno)));
            if (!rep) return fail_with(named_as(rep.error(), input, o->archive), o->archive);
            print_findings(rep->findings, o->archive);
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
