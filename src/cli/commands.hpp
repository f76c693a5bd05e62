#pragma once
/// The subcommands. Each registers itself on the CLI11 app and returns its exit status
/// through `run`.

#include <functional>

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

/// Chooses a layer of `img` by position or digest/diff_id prefix; nullopt for "".
util::Result<std::optional<std::size_t>> select_layer(const image::Archive& ar, const image::Image& img, const std::string& sel);

/// Adds the options every command takes (--platform, --now, -j).
void add_global_options(CLI::App& sub, GlobalOptions& g);
/// Adds --content-digest xxh128|sha256 (commands that index files).
void add_content_digest_option(CLI::App& sub, GlobalOptions& g);

}  // namespace tarsier::cli
