#pragma once
/// Shell completion scripts, generated from the CLI11 definition of every command so that
/// they cannot drift from it: `tarsier completion bash|zsh|fish` prints one, and the build
/// installs them (src/cli/meson.build).

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace tarsier::cli {

/// One option (or positional argument) as a shell completes it.
struct CompletionOption {
    std::vector<std::string> names;   ///< "-j", "--jobs"; empty for a positional argument
    std::string help;                 ///< its --help text, cut to one short clause
    std::string value_name;           ///< "FORMAT", "N", ...; empty for a flag
    std::vector<std::string> values;  ///< the values it accepts, when it accepts a fixed set
    bool files = false;               ///< its value is a file or directory name
};

/// One command (or the program itself, with an empty name).
struct CompletionCommand {
    std::string name;
    std::string help;
    std::vector<CompletionOption> options;
    std::vector<CompletionOption> positionals;  ///< in order; the last may repeat
};

/// What the scripts complete: the program's own options, then each command.
struct CompletionModel {
    CompletionCommand program;
    std::vector<CompletionCommand> commands;
};

/// Reads the model from `app` after every command was added. Fixed value sets come from
/// the options' CLI::IsMember checks; --platform offers common platforms; ARCHIVE and other
/// file arguments complete file names.
CompletionModel completion_model(CLI::App& app);

/// The bash script (for share/bash-completion/completions/tarsier).
std::string render_bash_completion(const CompletionModel& model);
/// The zsh script (for share/zsh/site-functions/_tarsier).
std::string render_zsh_completion(const CompletionModel& model);
/// The fish script (for share/fish/vendor_completions.d/tarsier.fish).
std::string render_fish_completion(const CompletionModel& model);

}  // namespace tarsier::cli
