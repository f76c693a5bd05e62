#pragma once
/// The problems one rpm database reader reports (private to src/pkg): each names the
/// database file, and a hostile file cannot make the list grow with its size. After
/// kMaxProblems, the rest are counted, and one last problem says how many there were.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "pkg/package.hpp"
#include "util/result.hpp"

namespace tarsier::pkg {

class RpmProblems {
public:
    static constexpr std::size_t kMaxProblems = 50;

    RpmProblems(std::vector<Problem>& out, std::string file) : m_out(out), m_file(std::move(file)) {}
    RpmProblems(const RpmProblems&) = delete;
    RpmProblems& operator=(const RpmProblems&) = delete;
    ~RpmProblems() {
        if (m_dropped == 0) return;
        m_out.push_back(util::make_error(util::ErrorKind::limit, "",
                                         std::to_string(m_dropped) + " more problems not listed")
                            .in_file(m_file));
    }

    /// Records `e` in the database file (unless it names a file already).
    void add(const util::Error& e) {
        if (m_kept == kMaxProblems) {
            ++m_dropped;
            return;
        }
        ++m_kept;
        m_out.push_back(e.in_file(m_file));
    }
    void add(util::ErrorKind kind, std::string where, std::string what) {
        add(util::make_error(kind, std::move(where), std::move(what)));
    }

    /// The error that stops reading the database, in its file.
    [[nodiscard]] util::Failure fatal(util::ErrorKind kind, std::string where, std::string what) const {
        return util::fail(util::make_error(kind, std::move(where), std::move(what)).in_file(m_file));
    }

private:
    std::vector<Problem>& m_out;
    std::string m_file;
    std::size_t m_kept = 0;
    std::size_t m_dropped = 0;
};

}  // namespace tarsier::pkg
