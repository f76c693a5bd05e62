#include "report/progress_view.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "report/units.hpp"
#include "util/strings.hpp"

namespace tarsier::report {

namespace {

/// An entry name as short as it can be said: "sha256:" and 12 hex digits for a blob,
/// the tail of the name otherwise.
std::string short_item(const std::string& item) {
    constexpr std::string_view kBlobs = "blobs/";
    std::string out = util::escape_for_display(item);
    if (out.starts_with(kBlobs)) {
        auto slash = out.find('/', kBlobs.size());
        if (slash != std::string::npos)
            out = out.substr(kBlobs.size(), slash - kBlobs.size()) + ":" + out.substr(slash + 1, 12);
    } else if (out.size() > 32) {
        out = "..." + out.substr(out.size() - 29);
    }
    return out;
}

std::string clock(double seconds) {
    auto s = static_cast<long long>(seconds + 0.5);
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

std::string render_progress(const util::Progress::Snapshot& s, double elapsed_seconds, std::size_t width) {
    const double rate = elapsed_seconds > 0 ? static_cast<double>(s.done) / elapsed_seconds : 0;
    std::string line;
    if (s.total > 0) {
        const std::uint64_t done = std::min(s.done, s.total);
        line = fmt::format("{} / {}  {:3}%  {}/s", human_size(static_cast<double>(done)),
                           human_size(static_cast<double>(s.total)), done * 100 / s.total, human_size(rate));
        if (rate > 0) line += "  ETA " + clock(static_cast<double>(s.total - done) / rate);
    } else {
        line = fmt::format("{}  {}/s", human_size(static_cast<double>(s.done)), human_size(rate));
    }
    if (!s.item.empty()) line += "  " + short_item(s.item);
    if (line.size() > width) line.resize(width);
    return line;
}

}  // namespace tarsier::report
