#pragma once
/// The text of tarsier's progress line (drawn by the CLI on a terminal's standard error).

#include <cstddef>
#include <string>

#include "util/progress.hpp"

namespace tarsier::report {

/// One line, at most `width` columns: "1.2GB / 3.4GB  35%  120MB/s  ETA 0:18  sha256:abcd…"
/// when the total is known, "1.2GB  120MB/s  <entry>" when it is not (a stream). Sizes
/// are Docker's (human_size); the rate is the mean over `elapsed_seconds`.
std::string render_progress(const util::Progress::Snapshot& s, double elapsed_seconds, std::size_t width);

}  // namespace tarsier::report
