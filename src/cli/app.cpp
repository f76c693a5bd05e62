#include <algorithm>
#include <cstdio>

#include "cli/commands.hpp"

namespace tarsier::cli {

void add_commands(CLI::App& app, GlobalOptions& g, Runner& run) {
    add_ls(app, g, run);
    add_history(app, g, run);
    add_inspect(app, g, run);
    add_layers(app, g, run);
    add_verify(app, g, run);
    add_waste(app, g, run);
    add_changes(app, g, run);
    add_files(app, g, run);
    add_blame(app, g, run);
    add_diff(app, g, run);
    add_audit(app, g, run);
    add_report(app, g, run);
    add_packages(app, g, run);
    add_cat(app, g, run);
    add_export(app, g, run);
    add_extract(app, g, run);
    add_check(app, g, run);
}

std::vector<std::string> normalise_args(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    // Docker spells boolean flags "-H=false"; CLI11 wants the long form for that.
    for (auto& a : args)
        if (a.starts_with("-H=")) a = "--human=" + a.substr(3);
    return args;
}

bool known_command(CLI::App& app, const std::vector<std::string>& args) {
    if (args.size() < 2 || args[1].starts_with("-")) return true;
    bool known = false;
    std::string names;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (!sub->get_group().empty())  // not the hidden help and completion
            names += (names.empty() ? "" : ", ") + sub->get_name();
        known = known || sub->check_name(args[1]);
    }
    if (known) return true;
    std::fprintf(stderr, "tarsier: error: unknown command '%s' (commands: %s)\n", args[1].c_str(), names.c_str());
    std::fprintf(stderr, "Run 'tarsier --help' for usage.\n");
    return false;
}

}  // namespace tarsier::cli
