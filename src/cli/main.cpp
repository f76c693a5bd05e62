// tarsier: an offline inspector for container image archives. This file only parses the
// command line and hands over to one subcommand.
#include <clocale>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    using namespace tarsier::cli;
    // Names in archives are bytes; libarchive converts PAX UTF-8 names to the locale.
    if (!std::setlocale(LC_CTYPE, "C.UTF-8")) std::setlocale(LC_CTYPE, "");

    // Docker spells boolean flags "-H=false"; CLI11 wants the long form for that.
    std::vector<std::string> args(argv, argv + argc);
    for (auto& a : args) {
        if (a.starts_with("-H=")) a = "--human=" + a.substr(3);
    }

    CLI::App app{"tarsier: inspect container image archives offline (docker save, OCI layouts)", "tarsier"};
    app.set_version_flag("--version", std::string("tarsier ") + TARSIER_VERSION);
    app.require_subcommand(1);
    GlobalOptions g;
    Runner run;
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

    if (args.size() > 1 && !args[1].starts_with("-")) {
        bool known = false;
        std::string names;
        for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
            names += (names.empty() ? "" : ", ") + sub->get_name();
            known = known || sub->check_name(args[1]);
        }
        if (!known) {
            std::fprintf(stderr, "tarsier: error: unknown command '%s' (commands: %s)\n", args[1].c_str(), names.c_str());
            std::fprintf(stderr, "Run 'tarsier --help' for usage.\n");
            return kExitUsage;
        }
    }
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
    return run();
}
