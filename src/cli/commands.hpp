#pragma once
/// The subcommands. Each registers its options on the CLI11 app and, once parsing
/// succeeded, what to run through `run`: a query, a render call and an exit status.

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/common.hpp"

namespace tarsier::cli {

/// Set by a subcommand's callback: what to run once parsing succeeded.
using Runner = std::function<int()>;

void add_ls(CLI::App& app, GlobalOptions& g, Runner& run);
void add_history(CLI::App& app, GlobalOptions& g, Runner& run);
void add_inspect(CLI::App& app, GlobalOptions& g, Runner& run);
void add_layers(CLI::App& app, GlobalOptions& g, Runner& run);
void add_verify(CLI::App& app, GlobalOptions& g, Runner& run);
void add_waste(CLI::App& app, GlobalOptions& g, Runner& run);
void add_changes(CLI::App& app, GlobalOptions& g, Runner& run);
void add_files(CLI::App& app, GlobalOptions& g, Runner& run);
void add_blame(CLI::App& app, GlobalOptions& g, Runner& run);
void add_diff(CLI::App& app, GlobalOptions& g, Runner& run);
void add_audit(CLI::App& app, GlobalOptions& g, Runner& run);
void add_report(CLI::App& app, GlobalOptions& g, Runner& run);
void add_packages(CLI::App& app, GlobalOptions& g, Runner& run);
void add_cat(CLI::App& app, GlobalOptions& g, Runner& run);
void add_export(CLI::App& app, GlobalOptions& g, Runner& run);
void add_extract(CLI::App& app, GlobalOptions& g, Runner& run);
/// For an ARCHIVE that is a pipe ("-") or a compressed file: copies it, decompressed, into
/// an unnamed file in $TMPDIR (or /tmp) and names that instead, so that layers can be read
/// again. The exit status on failure.
std::optional<int> spool_if_stream(std::string& archive);
/// `e` naming `archive` where it names the spooled copy `input`.
util::Error named_as(util::Error e, const std::string& input, const std::string& archive);
/// A usage error when writing `output` (a file or a directory; "-" is standard output)
/// would write over the archive being read: `output` is the archive file itself, or lies
/// inside an archive that is a directory (an OCI layout). tarsier never changes its input.
std::optional<util::Error> writes_over_input(const std::string& archive, const std::string& output);

void add_check(CLI::App& app, GlobalOptions& g, Runner& run);
/// Registers every subcommand above.
void add_commands(CLI::App& app, GlobalOptions& g, Runner& run);
/// `completion SHELL` and `help [COMMAND]`, hidden from the command list; added after
/// add_commands, since they read every other command's definition.
void add_completion(CLI::App& app, Runner& run);
void add_help(CLI::App& app, Runner& run);

/// argv as strings, with Docker's "-H=false" spelled as CLI11 wants it.
std::vector<std::string> normalise_args(int argc, char** argv);
/// Whether args[1] names a command (or is an option); prints the error and the command
/// list otherwise.
bool known_command(CLI::App& app, const std::vector<std::string>& args);

// The common options, spelled and explained once (tarsier(1), COMMON OPTIONS).

/// ARCHIVE: one archive, layout folder or "-".
void add_archive(CLI::App& sub, std::string& archive);
/// IMAGE (positional, when `positional`) and --image: which image of the archive.
void add_image(CLI::App& sub, std::string& image, bool positional = true);
/// --platform and -j (every command that reads an archive).
void add_read_options(CLI::App& sub, GlobalOptions& g);
/// --now (commands that print relative times).
void add_now(CLI::App& sub, GlobalOptions& g);
/// --content-digest (unless `content_digest` is false: commands that compare no contents)
/// and --max-entries (commands that index the layers' files).
void add_index_options(CLI::App& sub, GlobalOptions& g, bool content_digest = true);
/// Whether --format also takes a Go template (tarsier-format(7)), and as which option.
enum class FormatTemplates {
    none,
    docker,          ///< --format: docker's formatter ("table" prefix, \t and \n)
    docker_inspect,  ///< -f, --format: as `docker inspect -f`
};
/// --format: `values` after "text" (the default; "table" is accepted as the same), and a
/// template (a value with "{{") when `templates` says so.
void add_format(CLI::App& sub, std::string& format, std::initializer_list<const char*> values,
                FormatTemplates templates = FormatTemplates::none);
/// --no-trunc: don't truncate digests, IDs and CREATED BY.
void add_no_trunc(CLI::App& sub, bool& no_trunc);
/// --ci-config FILE: dive's .dive-ci rules (waste, check).
void add_ci_config(CLI::App& sub, std::string& path);
/// --no-progress: no progress line on standard error (cli/progress_line.hpp).
void add_no_progress(CLI::App& sub, GlobalOptions& g);
/// --owner: name the packages that own each path (files, blame).
void add_owner(CLI::App& sub, bool& owner);
/// --layer N|DIGEST with `what` as its help.
void add_layer(CLI::App& sub, std::string& layer, const std::string& what);

}  // namespace tarsier::cli
