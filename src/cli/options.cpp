#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/format_template.hpp"

namespace tarsier::cli {

void add_archive(CLI::App& sub, std::string& archive) {
    sub.add_option("ARCHIVE", archive, "image archive (tar, possibly compressed), OCI layout directory, or - for standard input")
        ->required()
        ->type_name("");
}

void add_image(CLI::App& sub, std::string& image, bool positional) {
    const char* help = "the image: reference, image ID prefix, @sha256:DIGEST or @N (needed when the archive holds several)";
    if (positional) sub.add_option("IMAGE", image, help)->type_name("");
    sub.add_option("--image", image, help)->type_name("IMAGE");
}

void add_read_options(CLI::App& sub, GlobalOptions& g) {
    sub.add_option_function<std::string>(
           "--platform",
           [&g](const std::string& p) {
               g.read.platform = p;
               g.read.platform_explicit = true;
           },
           "os/arch[/variant] to choose from a multi-platform index (default linux/amd64; arm64 means linux/arm64)")
        ->type_name("PLATFORM");
    sub.add_option("-j,--jobs", g.read.jobs, "worker threads (default: the number of cores)")
        ->check(CLI::Range(1u, 1024u).description(""))
        ->type_name("N");
}

void add_now(CLI::App& sub, GlobalOptions& g) {
    sub.add_option("--now", g.now, "treat this RFC 3339 time or Unix second as now (reproducible output)")
        ->type_name("TIME");
}

void add_index_options(CLI::App& sub, GlobalOptions& g, bool content_digest) {
    if (content_digest)
        sub.add_option_function<std::string>(
               "--content-digest",
               [&g](const std::string& v) {
                   g.read.content_digest = v == "sha256" ? archive::ContentDigest::sha256 : archive::ContentDigest::xxh128;
               },
               "how file contents are compared: xxh128 (default, fast) or sha256 (forensic reports)")
            ->check(CLI::IsMember({"xxh128", "sha256"}).description(""))
            ->type_name("ALG");
    sub.add_option("--max-entries", g.read.max_entries,
                   "the most entries one layer may hold (default 1000000); names and link targets may "
                   "take 256 bytes an entry on average")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40).description(""))
        ->type_name("N");
}

void add_format(CLI::App& sub, std::string& format, std::initializer_list<const char*> values, FormatTemplates templates) {
    std::vector<std::string> accepted{"text", "table"};
    std::string help = "output: text (default; table is the same)";
    for (const char* v : values) {
        accepted.emplace_back(v);
        help += fmt::format(", {}", v);
    }
    if (templates != FormatTemplates::none) help += ", or a Go template as docker's ('{{.ID}}', 'table {{.ID}}\\t{{.Size}}'; tarsier-format(7))";
    format = "text";
    auto* opt = sub.add_option(templates == FormatTemplates::docker_inspect ? "-f,--format" : "--format", format, help)
        ->transform([](std::string v) { return v == "table" ? std::string("text") : v; }, "", "")
        ->type_name("FORMAT");
    if (templates == FormatTemplates::none) {
        opt->check(CLI::IsMember(accepted).description(""));
        return;
    }
    CLI::Validator member = CLI::IsMember(accepted);
    opt->check(CLI::Validator(
        [member](std::string& v) {
            if (is_template_format(v)) return std::string();  // parsed (and its errors given) by the command
            std::string copy = v;
            return member(copy);
        },
        ""));
}

void add_no_trunc(CLI::App& sub, bool& no_trunc) {
    sub.add_flag("--no-trunc", no_trunc, "don't truncate digests, IDs and CREATED BY");
}

void add_no_progress(CLI::App& sub, GlobalOptions& g) {
    sub.add_flag("--no-progress", g.no_progress, "no progress line on standard error (shown only on a terminal)");
}

void add_owner(CLI::App& sub, bool& owner) {
    sub.add_flag("--owner", owner, "name the packages that own each path, as the package databases record them");
}

void add_layer(CLI::App& sub, std::string& layer, const std::string& what) {
    sub.add_option("--layer", layer, what + ": its position (0 = base) or a unique prefix of its blob digest or diff_id")
        ->type_name("N|DIGEST");
}

void add_ci_config(CLI::App& sub, std::string& path) {
    sub.add_option("--ci-config", path, "dive's CI rules file (.dive-ci): lowestEfficiency, highestWastedBytes, "
                                        "highestUserWastedPercent")
        ->type_name("FILE");
}

}  // namespace tarsier::cli
