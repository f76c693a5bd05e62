#pragma once
/// The progress line: on a terminal, a thread samples the util::Progress that the queries
/// advance and redraws one line of standard error in place, at most 10 times a second,
/// and erases it when the command is done.

#include <memory>
#include <string_view>

#include "util/progress.hpp"

namespace tarsier::cli {

/// Whether to draw: standard error is a terminal, TARSIER_PROGRESS is not "0", no
/// --no-progress, and the output is text (never with JSON, JUnit, SARIF or a template).
bool progress_wanted(bool no_progress, std::string_view format);

/// Draws `progress` while it lives; the destructor stops and erases the line.
class ProgressLine {
public:
    explicit ProgressLine(const util::Progress& progress);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

private:
    struct Ticker;
    std::unique_ptr<Ticker> m_ticker;
};

/// Erases the line, if one is drawn, before other output reaches the terminal (the next
/// tick draws it again below that output). Cheap when there is no line.
void erase_progress_line();

}  // namespace tarsier::cli
