// The completion model, read from the CLI11 definition of the commands.
#include <algorithm>

#include "cli/completion.hpp"

namespace tarsier::cli {

namespace {

/// Platforms offered for --platform: the ones images are commonly built for.
const std::vector<std::string> kCommonPlatforms{"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6",
                                                "linux/386",   "linux/ppc64le", "linux/s390x", "linux/riscv64",
                                                "windows/amd64"};

/// The values of an option's CLI::IsMember checks. CLI11 keeps the set inside the check;
/// its message for a value outside the set lists it ("X not in {a,b,c}"), whatever the
/// description says, so a value no set holds brings the list out.
std::vector<std::string> member_values(CLI::Option& opt) {
    std::vector<std::string> out;
    for (int i = 0;; ++i) {
        CLI::Validator* check = nullptr;
        try {
            check = opt.get_validator(i);
        } catch (const CLI::OptionNotFound&) {
            break;
        }
        std::string probe = "\x01";
        std::string message;
        try {
            message = (*check)(probe);
        } catch (const std::exception&) {
            continue;
        }
        auto at = message.find(" not in {");
        if (at == std::string::npos || message.back() != '}') continue;
        std::string list = message.substr(at + 9, message.size() - at - 10);
        for (std::size_t start = 0; start <= list.size();) {
            auto end = list.find(',', start);
            if (end == std::string::npos) end = list.size();
            if (end > start) out.push_back(list.substr(start, end - start));
            start = end + 1;
        }
    }
    return out;
}

/// A help text without its parenthesised remarks, cut at its first "; " and short enough
/// for a completion menu.
std::string short_help(const std::string& help) {
    std::string out;
    int depth = 0;
    for (char ch : help) {
        if (ch == '(') ++depth;
        else if (ch == ')' && depth > 0) --depth;
        else if (depth > 0 || (ch == ' ' && (out.empty() || out.back() == ' '))) continue;
        else {
            if ((ch == ',' || ch == ':') && !out.empty() && out.back() == ' ') out.pop_back();
            out += ch;
        }
    }
    if (auto at = out.find("; "); at != std::string::npos) out.resize(at);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (out.size() > 70) {
        out.resize(out.rfind(' ', 67));
        out += "...";
    }
    return out;
}

bool names_files(const std::string& value_name) {
    return value_name == "FILE" || value_name == "DIR" || value_name == "PATH" || value_name.ends_with("FILE") ||
           value_name.ends_with("ARCHIVE");
}

CompletionOption read_option(CLI::Option& opt) {
    CompletionOption o;
    for (const auto& s : opt.get_snames()) o.names.push_back("-" + s);
    for (const auto& l : opt.get_lnames()) o.names.push_back("--" + l);
    o.help = short_help(opt.get_description());
    if (opt.get_type_size_max() > 0) {
        // A positional is called by its name; an option by its type name, which CLI11
        // follows with its checks' descriptions (TEXT:{a,b}).
        o.value_name = o.names.empty() ? opt.get_name() : opt.get_type_name();
        o.value_name = o.value_name.substr(0, o.value_name.find(':'));
        if (o.value_name.empty()) o.value_name = "VALUE";
        o.values = member_values(opt);
        if (o.values.empty() && o.names.end() != std::find(o.names.begin(), o.names.end(), "--platform"))
            o.values = kCommonPlatforms;
        // A positional argument is an archive or a path unless it takes a fixed set.
        o.files = o.values.empty() && (o.names.empty() || names_files(o.value_name));
    }
    return o;
}

CompletionCommand read_command(CLI::App& app, const std::string& name) {
    CompletionCommand c;
    c.name = name;
    c.help = short_help(app.get_description());
    for (CLI::Option* opt : app.get_options()) {
        CompletionOption o = read_option(*opt);
        if (o.names.empty()) {
            c.positionals.push_back(std::move(o));
        } else {
            c.options.push_back(std::move(o));
        }
    }
    return c;
}

}  // namespace

CompletionModel completion_model(CLI::App& app) {
    CompletionModel m;
    m.program = read_command(app, "");
    for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        m.commands.push_back(read_command(*sub, sub->get_name()));
    return m;
}

}  // namespace tarsier::cli
