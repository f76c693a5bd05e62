#pragma once
/// Internal to src/pkg: what the text databases (dpkg status, apk installed, os-release,
/// dpkg info lists) share: a line cursor, blank-line separated stanzas, a bounded problem
/// log, and the limits that keep hostile input bounded in memory and time.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/package.hpp"

namespace tarsier::pkg::detail {

/// A longer line is a problem (its stanza is skipped): real fields are a few KiB at most.
inline constexpr std::size_t kMaxLineBytes = std::size_t{1} << 20;
/// Packages read from one database file before the rest of it is a `limit` problem.
inline constexpr std::size_t kMaxPackagesPerDatabase = 200'000;
/// Owned paths kept for one database (status and its info files together).
inline constexpr std::size_t kMaxFilesPerDatabase = 2'000'000;
/// Problems kept for one file; the others are counted in one last problem.
inline constexpr std::size_t kMaxProblemsPerFile = 20;

/// The lines of `text` split at '\n' (a last line without '\n' counts), numbered from 1.
class Lines {
public:
    explicit Lines(std::string_view text, std::size_t first_number = 1)
        : m_rest(text), m_next_number(first_number) {}
    /// The next line without its '\n'; false at the end.
    bool next(std::string_view& line);
    /// The number of the line next() returned last.
    [[nodiscard]] std::size_t number() const { return m_next_number - 1; }

private:
    std::string_view m_rest;
    std::size_t m_next_number;
    bool m_done = false;
};

/// One paragraph of a stanza database: its lines and the number of its first line.
struct Stanza {
    std::string_view text;
    std::size_t first_line = 1;
};

/// Calls `fn(const Stanza&)` for each run of non-blank lines of `text` (blank: empty or
/// only spaces, tabs and '\r'), in order; `fn` returns false to stop.
template <typename Fn>
void for_each_stanza(std::string_view text, Fn&& fn);

/// Problems about one file, at most kMaxProblemsPerFile of them kept: `where` is "line N".
class ProblemLog {
public:
    ProblemLog(std::vector<Problem>& out, std::string_view file) : m_out(out), m_file(file) {}
    ProblemLog(const ProblemLog&) = delete;
    ProblemLog& operator=(const ProblemLog&) = delete;
    /// Adds the closing "N more problems" entry when some were left out.
    ~ProblemLog();
    void add(util::ErrorKind kind, std::size_t line, std::string what);

private:
    std::vector<Problem>& m_out;
    std::string m_file;
    std::size_t m_count = 0;
};

/// Counts the owned paths of one database against kMaxFilesPerDatabase; the first path
/// past it is a `limit` problem.
class FileBudget {
public:
    /// Whether one more path may be kept.
    bool take(ProblemLog& log, std::size_t line);
    /// How many more paths may be kept.
    [[nodiscard]] std::size_t left() const { return kMaxFilesPerDatabase - m_used; }

private:
    std::size_t m_used = 0;
    bool m_reported = false;
};

/// Whether a database that has given `count` packages may give one more; when not, a
/// `limit` problem at `line` (the caller stops reading).
bool another_package(std::size_t count, ProblemLog& log, std::size_t line);

/// Whether `line` is longer than kMaxLineBytes: then a `limit` problem at `number` says
/// that its record is skipped.
bool too_long(std::string_view line, std::size_t number, ProblemLog& log);

/// Whether `line` holds only spaces, tabs and '\r'.
bool is_blank(std::string_view line);
/// ASCII case-insensitive equality (dpkg field names are case-insensitive).
bool iequals(std::string_view a, std::string_view b);

template <typename Fn>
void for_each_stanza(std::string_view text, Fn&& fn) {
    Lines lines(text);
    std::string_view line;
    std::size_t start = std::string_view::npos;  // offset of the stanza's first line
    std::size_t first = 0;
    std::size_t end = 0;  // offset just past the stanza's last line
    while (lines.next(line)) {
        const auto offset = static_cast<std::size_t>(line.data() - text.data());
        if (is_blank(line)) {
            if (start != std::string_view::npos) {
                if (!fn(Stanza{text.substr(start, end - start), first})) return;
                start = std::string_view::npos;
            }
            continue;
        }
        if (start == std::string_view::npos) {
            start = offset;
            first = lines.number();
        }
        end = offset + line.size();
    }
    if (start != std::string_view::npos) fn(Stanza{text.substr(start, end - start), first});
}

}  // namespace tarsier::pkg::detail
