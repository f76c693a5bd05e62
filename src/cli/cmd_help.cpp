// tarsier help [COMMAND] and tarsier completion bash|zsh|fish: commands about the command
// line itself, registered after every other command (they read the others' definitions).
#include "cli/commands.hpp"
#include "cli/completion.hpp"

namespace tarsier::cli {

void add_completion(CLI::App& app, Runner& run) {
    auto shell = std::make_shared<std::string>();
    auto* sub = app.add_subcommand("completion", "Print the shell completion script for bash, zsh or fish");
    sub->group("");  // documented in tarsier(1); installed by meson install
    sub->add_option("SHELL", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
    sub->callback([shell, &app, &run] {
        run = [shell, &app]() -> int {
            CompletionModel model = completion_model(app);
            if (*shell == "bash") write_out(render_bash_completion(model));
            else if (*shell == "zsh") write_out(render_zsh_completion(model));
            else write_out(render_fish_completion(model));
            return kExitOk;
        };
    });
}

void add_help(CLI::App& app, Runner& run) {
    std::vector<std::string> names;
    for (const auto* c : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(c->get_name());
    names.emplace_back("help");
    auto command = std::make_shared<std::string>();
    auto* sub = app.add_subcommand("help", "Print the help of tarsier or of one command");
    sub->group("");  // documented in tarsier(1)
    sub->add_option("COMMAND", *command, "the command whose --help to print")->check(CLI::IsMember(names));
    sub->callback([command, &app, &run] {
        run = [command, &app]() -> int {
            // What `tarsier [COMMAND] --help` prints, word for word.
            const CLI::App* target = command->empty() ? &app : app.get_subcommand(*command);
            const std::string prev = command->empty() ? app.get_name() : app.get_name() + " " + *command;
            write_out(target->get_formatter()->make_help(target, prev, CLI::AppFormatMode::Normal));
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
