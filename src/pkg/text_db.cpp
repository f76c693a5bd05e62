#include "pkg/text_db.hpp"

namespace tarsier::pkg::detail {

bool Lines::next(std::string_view& line) {
    if (m_done) return false;
    const auto nl = m_rest.find('\n');
    if (nl == std::string_view::npos) {
        m_done = true;
        if (m_rest.empty()) return false;
        line = m_rest;
        m_rest = {};
    } else {
        line = m_rest.substr(0, nl);
        m_rest.remove_prefix(nl + 1);
    }
    ++m_next_number;
    return true;
}

ProblemLog::~ProblemLog() {
    if (m_count > kMaxProblemsPerFile) {
        m_out.push_back(util::Error{util::ErrorKind::malformed, m_file, {},
                                    std::to_string(m_count - kMaxProblemsPerFile) + " more problems not shown"});
    }
}

void ProblemLog::add(util::ErrorKind kind, std::size_t line, std::string what) {
    if (++m_count > kMaxProblemsPerFile) return;
    m_out.push_back(util::Error{kind, m_file, line ? "line " + std::to_string(line) : std::string(), std::move(what)});
}

bool FileBudget::take(ProblemLog& log, std::size_t line) {
    if (m_used < kMaxFilesPerDatabase) {
        ++m_used;
        return true;
    }
    if (!m_reported) {
        log.add(util::ErrorKind::limit, line,
                "more than " + std::to_string(kMaxFilesPerDatabase) + " owned paths in this database; the rest are left out");
        m_reported = true;
    }
    return false;
}

bool another_package(std::size_t count, ProblemLog& log, std::size_t line) {
    if (count < kMaxPackagesPerDatabase) return true;
    log.add(util::ErrorKind::limit, line,
            "more than " + std::to_string(kMaxPackagesPerDatabase) + " packages; the rest is not read");
    return false;
}

bool too_long(std::string_view line, std::size_t number, ProblemLog& log) {
    if (line.size() <= kMaxLineBytes) return false;
    log.add(util::ErrorKind::limit, number, "a line longer than 1 MiB; its record is skipped");
    return true;
}

bool is_blank(std::string_view line) {
    for (char c : line) {
        if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

}  // namespace tarsier::pkg::detail
