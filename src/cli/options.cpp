#include "cli/commands.hpp"

namespace tarsier::cli {

void add_global_options(CLI::App& sub, GlobalOptions& g) {
    sub.add_option_function<std::string>(
           "--platform",
           [&g](const std::string& p) {
               g.platform = p;
               g.platform_set = true;
           },
           "os/arch[/variant] to choose from a multi-platform index (default linux/amd64)")
        ->type_name("PLATFORM");
    sub.add_option("--now", g.now, "treat this RFC 3339 time or Unix second as now (reproducible output)")
        ->type_name("TIME");
    sub.add_option("-j,--jobs", g.jobs, "worker threads (default: the number of cores)")->type_name("N");
}

void add_content_digest_option(CLI::App& sub, GlobalOptions& g) {
    sub.add_option_function<std::string>(
           "--content-digest", [&g](const std::string& v) { g.sha256_content = v == "sha256"; },
           "how file contents are compared: xxh128 (default, fast) or sha256 (forensic reports)")
        ->check(CLI::IsMember({"xxh128", "sha256"}))
        ->type_name("ALG");
    sub.add_option("--max-entries", g.max_entries,
                   "the most entries one layer may hold (default 1000000); names and link targets may "
                   "take 256 bytes an entry on average")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
        ->type_name("N");
}

}  // namespace tarsier::cli
