#pragma once
/// What every subcommand shares: the common options, printing errors and findings, and
/// the exit statuses. Only src/cli prints or exits; the work is done by src/query.

#include <cstdint>
#include <string>
#include <vector>

#include "image/model.hpp"
#include "query/read.hpp"
#include "report/sink.hpp"
#include "util/error.hpp"

namespace tarsier::cli {

/// Exit statuses, the same for every command (man/tarsier.1).
enum ExitCode : int {
    kExitOk = 0,
    kExitFindings = 1,  ///< findings, differences, failed rules, or nothing matched what was asked
    kExitUsage = 2,
    kExitUnreadable = 3,
    kExitInterrupted = 130,
};

/// Options every command shares.
struct GlobalOptions {
    query::ReadOptions read;
    std::string now;  ///< --now: RFC 3339 time or Unix seconds; "" for the clock
    bool no_progress = false;  ///< --no-progress
};

/// The exit status for an error.
int exit_code(const util::Error& e);
/// Prints "tarsier: error: <file>: <where>: <what>" to stderr (continuation lines of a
/// multi-line message follow as they are).
void print_error(const util::Error& e);
/// Prints `e` (with `file` when the error has none) and returns its exit status.
int fail_with(const util::Error& e, const std::string& file = {});
/// Prints each finding as "tarsier: warning: ..." (or "note" for severity info), with
/// `archive` in front of its place when given.
void print_findings(const std::vector<image::Finding>& findings, const std::string& archive = {});
/// Prints "tarsier: note: <message>".
void print_note(const std::string& message);

/// "Now" in Unix seconds: --now when given, else the clock. Fails (usage) on a bad --now.
util::Result<std::int64_t> now_seconds(const GlobalOptions& g);

/// Writes text to stdout, all of it.
void write_out(const std::string& text);
/// A view sink that writes to stdout.
report::Sink stdout_sink();

/// The local time zone at `unix_seconds`: offset from UTC and abbreviation (the CLI
/// prints local times where Docker does).
struct LocalZone {
    std::int32_t offset = 0;
    std::string name = "UTC";
};
LocalZone local_zone(std::int64_t unix_seconds);

}  // namespace tarsier::cli
