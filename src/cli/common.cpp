#include "cli/common.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "cli/progress_line.hpp"
#include "oci/config.hpp"
#include "util/strings.hpp"

namespace tarsier::cli {

using util::ErrorKind;

int exit_code(const util::Error& e) {
    switch (e.kind) {
        case ErrorKind::usage: return kExitUsage;
        case ErrorKind::interrupted: return kExitInterrupted;
        default: return kExitUnreadable;
    }
}

void print_error(const util::Error& e) {
    std::string line = e.to_string();
    while (!line.empty() && line.back() == '\n') line.pop_back();
    // Names from the archive may carry terminal escapes; the message text keeps its own
    // newlines (lists of choices) but nothing else unprintable.
    std::string safe;
    for (const auto& part : util::split(line, '\n')) {
        if (!safe.empty()) safe += '\n';
        safe += util::escape_for_display(part);
    }
    erase_progress_line();
    std::fprintf(stderr, "tarsier: error: %s\n", safe.c_str());
}

int fail_with(const util::Error& e, const std::string& file) {
    util::Error full = file.empty() ? e : e.in_file(file);
    print_error(full);
    return exit_code(full);
}

void print_findings(const std::vector<image::Finding>& findings, const std::string& archive) {
    if (!findings.empty()) erase_progress_line();
    for (const auto& f : findings) {
        std::string place = archive;
        if (!f.where.empty()) place += (place.empty() ? "" : ": ") + f.where;
        std::string text = place.empty() ? f.message : place + ": " + f.message;
        std::fprintf(stderr, "tarsier: %s: %s\n", f.severity == "info" ? "note" : "warning",
                     util::escape_for_display(text).c_str());
    }
}

void print_note(const std::string& message) {
    erase_progress_line();
    std::fprintf(stderr, "tarsier: note: %s\n", util::escape_for_display(message).c_str());
}

util::Result<std::int64_t> now_seconds(const GlobalOptions& g) {
    if (g.now.empty()) return static_cast<std::int64_t>(std::time(nullptr));
    std::int64_t secs = 0;
    auto [p, ec] = std::from_chars(g.now.data(), g.now.data() + g.now.size(), secs);
    if (ec == std::errc() && p == g.now.data() + g.now.size()) return secs;
    if (auto t = oci::parse_rfc3339(g.now)) return t->seconds;
    return util::fail(ErrorKind::usage, "--now", fmt::format("'{}' is neither an RFC 3339 time nor Unix seconds", g.now));
}

void write_out(const std::string& text) {
    erase_progress_line();
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);  // before the next progress line
}

report::Sink stdout_sink() {
    return [](std::string_view text) {
        erase_progress_line();
        std::fwrite(text.data(), 1, text.size(), stdout);
    };
}

LocalZone local_zone(std::int64_t unix_seconds) {
    LocalZone z;
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    if (localtime_r(&t, &tm)) {
        z.offset = static_cast<std::int32_t>(tm.tm_gmtoff);
        z.name = tm.tm_zone ? tm.tm_zone : "";
    }
    return z;
}

}  // namespace tarsier::cli
