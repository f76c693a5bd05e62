// tarsier: an offline inspector for container image archives. This file only parses the
// command line and hands over to one subcommand (cli/cmd_*.cpp).
#include <algorithm>
#include <clocale>
#include <optional>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/progress_line.hpp"
#include "cli/version.hpp"

namespace {

/// The --format the user gave the command that runs ("" when none).
std::string chosen_format(const CLI::App& app) {
    for (const CLI::App* sub : app.get_subcommands()) {
        const CLI::Option* format = sub->get_option_no_throw("--format");
        if (format && format->count() > 0) return format->as<std::string>();
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    using namespace tarsier::cli;
    // Names in archives are bytes; libarchive converts PAX UTF-8 names to the locale.
    if (!std::setlocale(LC_CTYPE, "C.UTF-8")) std::setlocale(LC_CTYPE, "");

    CLI::App app{"tarsier: inspect container image archives offline (docker save, OCI layouts)", "tarsier"};
    app.set_version_flag("-V,--version", [] {
        std::string text = version_text();
        text.pop_back();  // CLI11 ends the line
        return text;
    }, "Print the version and the libraries tarsier was built with, and exit");
    app.require_subcommand(1);
    GlobalOptions g;
    Runner run;
    add_commands(app, g, run);
    add_completion(app, run);
    add_help(app, run);

    auto args = normalise_args(argc, argv);
    if (!known_command(app, args)) return kExitUsage;
    try {
        std::vector<std::string> rest(args.begin() + 1, args.end());
        std::reverse(rest.begin(), rest.end());
        app.parse(rest);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "tarsier: error: %s\n", e.what());
        std::fprintf(stderr, "Run 'tarsier --help' for usage.\n");
        return kExitUsage;
    }
    if (!run) return kExitUsage;
    // The progress line, on a terminal only; every query reads through g.read.
    tarsier::util::Progress progress;
    std::optional<ProgressLine> line;
    if (progress_wanted(g.no_progress, chosen_format(app))) {
        g.read.progress = &progress;
        line.emplace(progress);
    }
    return run();
}
