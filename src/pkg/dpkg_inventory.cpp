// The dpkg part of read_inventory: var/lib/dpkg/status with the file lists and md5sums
// of var/lib/dpkg/info, and distroless's var/lib/dpkg/status.d (one status file per
// package, "<name>.md5sums" beside it, no Status field).
#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <string>
#include <thread>

#include "pkg/inventory.hpp"
#include "pkg/readers.hpp"
#include "pkg/text_db.hpp"
#include "util/path.hpp"
#include "util/strings.hpp"

namespace tarsier::pkg::detail {

namespace {

using util::ErrorKind;

constexpr std::string_view kAdmin = "var/lib/dpkg";

bool ends_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

/// A path as dpkg writes it ("/usr/bin/x", "/." for the root, "usr/bin/x" in md5sums),
/// normalised like an index entry; nullopt for the root itself and for climbing paths.
/// A clean name (nearly all of them) is a view into `raw`; one that needs cleaning is
/// cleaned into `scratch`.
std::optional<std::string_view> owned_path(std::string_view raw, std::string& scratch) {
    if (auto clean = util::clean_path_in_root_view(raw)) return clean;
    auto clean = util::clean_path_in_root(raw);
    if (!clean || clean->empty()) return std::nullopt;
    scratch = std::move(*clean);
    return std::string_view(scratch);
}

/// Which bytes are hexadecimal digits (either case).
constexpr auto kHexDigit = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) table[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    return table;
}();

/// The lines of `bytes` (a last one without '\n' counts; an empty text has one).
std::size_t line_count(std::string_view bytes) {
    return static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n')) + 1;
}

/// One package's md5sums ("<hex>  <path>" lines): path -> hex, views into the file's
/// bytes, found through an open-addressing table. One instance serves every package of a
/// database in turn (parse() starts over and keeps the capacity), so that reading a
/// database allocates per package, not per line.
class Md5sums {
public:
    /// Reads `bytes`; a line that is not "<md5>  <path>" is a problem.
    void parse(std::string_view bytes, std::string_view file, std::vector<Problem>& problems) {
        clear();
        ProblemLog log(problems, file);
        Lines lines(bytes);
        std::string_view line;
        std::string scratch;
        while (lines.next(line)) {
            if (is_blank(line)) continue;
            const auto space = line.find(' ');
            const auto hex = line.substr(0, space);
            bool valid = hex.size() == 32 && space != std::string_view::npos;
            for (char c : hex) valid &= kHexDigit[static_cast<unsigned char>(c)];
            if (!valid) {
                log.add(ErrorKind::malformed, lines.number(), "not \"<md5>  <path>\"");
                continue;
            }
            auto rest = line.substr(space);
            while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
            if (!rest.empty() && rest.front() == '*') rest.remove_prefix(1);  // md5sum's binary mode mark
            auto path = owned_path(rest, scratch);
            if (!path) continue;
            if (path->data() == scratch.data()) path = m_cleaned.emplace_back(std::move(scratch));
            m_entries.emplace_back(*path, hex);
        }
        index();
    }

    /// No entries (a package without md5sums).
    void clear() {
        m_entries.clear();
        m_cleaned.clear();
    }
    /// The entries in file order (a path listed twice: both).
    [[nodiscard]] const std::vector<std::pair<std::string_view, std::string_view>>& entries() const { return m_entries; }

    /// The hex digest of `path` (its first line), or "" when it has none.
    [[nodiscard]] std::string_view find(std::string_view path) const {
        if (m_entries.empty()) return {};
        for (std::size_t i = hash(path) & m_mask;; i = (i + 1) & m_mask) {
            const auto slot = m_slots[i];
            if (slot == 0) return {};
            if (m_entries[slot - 1].first == path) return m_entries[slot - 1].second;
        }
    }

private:
    static std::size_t hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

    void index() {
        std::size_t size = 16;
        while (size < 2 * m_entries.size()) size *= 2;
        m_slots.assign(size, 0);
        m_mask = size - 1;
        for (std::size_t e = 0; e < m_entries.size(); ++e) {
            for (std::size_t i = hash(m_entries[e].first) & m_mask;; i = (i + 1) & m_mask) {
                auto& slot = m_slots[i];
                if (slot == 0) {
                    slot = static_cast<std::uint32_t>(e + 1);
                    break;
                }
                if (m_entries[slot - 1].first == m_entries[e].first) break;  // the first line wins
            }
        }
    }

    std::vector<std::pair<std::string_view, std::string_view>> m_entries;  ///< path, hex
    std::deque<std::string> m_cleaned;  ///< the paths that needed cleaning (stable addresses)
    std::vector<std::uint32_t> m_slots;  ///< entry index + 1, 0 when free
    std::size_t m_mask = 0;
};

/// "md5:<hex>" in lower case, written into `out`.
std::string_view md5_digest(std::string_view hex, std::array<char, 36>& out) {
    if (hex.size() != 32) return {};
    std::copy_n("md5:", 4, out.begin());
    std::transform(hex.begin(), hex.end(), out.begin() + 4,
                   [](char c) { return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c); });
    return std::string_view(out.data(), out.size());
}

/// Fills p.files from a .list (every path dpkg installed) and digests from .md5sums;
/// with no list, the md5sums paths are the files. A clean path of the list stays a view
/// into the list's bytes, which the package then shares.
void attach_files(Package& p, const std::optional<RootFile>& list, const std::optional<RootFile>& md5sums,
                  std::vector<Problem>& problems, FileBudget& budget, Md5sums& sums,
                  std::optional<std::size_t> list_lines = std::nullopt) {
    if (md5sums) sums.parse(md5sums->bytes, md5sums->path, problems);
    else sums.clear();
    std::array<char, 36> digest{};
    if (!list) {
        ProblemLog log(problems, md5sums ? md5sums->path : p.db_file);
        const std::size_t n = std::min(sums.entries().size(), budget.left());
        p.files.reserve(n, md5sums ? md5sums->bytes.size() : 0);
        for (const auto& [path, hex] : sums.entries()) {
            if (!budget.take(log, 0)) break;
            p.files.add(path, md5_digest(hex, digest), false);
        }
        return;
    }
    ProblemLog log(problems, list->path);
    const auto lines_in_list = list_lines ? *list_lines : line_count(list->bytes);
    p.files.reserve(std::min(lines_in_list, budget.left()), sums.entries().size() * digest.size());
    const auto source = p.files.share(list->data);
    Lines lines(list->bytes);
    std::string_view line;
    std::string scratch;
    while (lines.next(line)) {
        auto path = owned_path(line, scratch);
        if (!path) continue;
        if (!budget.take(log, lines.number())) break;
        const auto hex = sums.find(*path);
        const auto d = hex.empty() ? std::string_view() : md5_digest(hex, digest);
        if (path->data() == scratch.data()) p.files.add(*path, d, false);
        else p.files.add_shared(source, *path, d, false);
    }
}

/// info/<name>:<arch>.<ext> (Multi-Arch: same packages) or info/<name>.<ext>.
std::optional<RootFile> info_file(const RootView& root, const Package& p, std::string_view ext,
                                  std::vector<Problem>& problems) {
    // A name with a '/' would reach outside info/; dpkg names never have one.
    if (p.name.empty() || p.name.find('/') != std::string::npos) return std::nullopt;
    const std::string dir = std::string(kAdmin) + "/info/";
    if (!p.arch.empty()) {
        if (auto f = read_root_file(root, dir + p.name + ":" + p.arch + std::string(ext), problems)) return f;
    }
    return read_root_file(root, dir + p.name + std::string(ext), problems);
}

/// Files in status.d that are not status files: the control members distroless copies
/// beside them.
bool control_member(std::string_view name) {
    static constexpr std::string_view kExtensions[] = {
        ".md5sums", ".preinst", ".postinst", ".prerm", ".postrm", ".conffiles", ".list",
        ".shlibs", ".symbols", ".triggers", ".templates", ".config", ".info",
    };
    for (auto ext : kExtensions) {
        if (ends_with(name, ext)) return true;
    }
    return false;
}

/// A package's info files and the problems met reading them.
struct InfoFiles {
    std::optional<RootFile> list, md5sums;
    std::size_t lines = 0;  ///< of the list (else of the md5sums): the most paths they give
    std::vector<Problem> problems;
};

/// From this many packages on, a status database's lists are parsed on two threads.
constexpr std::size_t kParallelPackages = 64;

void read_status(const RootView& root, Inventory& inv, bool md5sums) {
    auto status = read_root_file(root, std::string(kAdmin) + "/status", inv.problems);
    if (!status) return;
    inv.databases.push_back(status->path);
    auto packages = parse_dpkg_stanzas(status->bytes, status->path, inv.problems, MissingStatus::problem);
    // Each package's info files, found first; their lines bound the paths they can give.
    std::vector<InfoFiles> info(packages.size());
    std::size_t bound = 0;
    for (std::size_t i = 0; i < packages.size(); ++i) {
        info[i].list = info_file(root, packages[i], ".list", info[i].problems);
        if (md5sums || !info[i].list) info[i].md5sums = info_file(root, packages[i], ".md5sums", info[i].problems);
        const auto& paths = info[i].list ? info[i].list : info[i].md5sums;
        if (paths) info[i].lines = line_count(paths->bytes);
        bound += info[i].lines;
    }
    auto attach = [&](std::size_t from, std::size_t to, FileBudget& budget) {
        Md5sums sums;
        for (std::size_t i = from; i < to; ++i)
            attach_files(packages[i], info[i].list, info[i].md5sums, info[i].problems, budget, sums, info[i].lines);
    };
    // Parsing the lists is most of the work on a real system (~1,000 packages, ~200,000
    // paths): two threads take half the packages each when the database's budget of owned
    // paths cannot run out (then where it ran out would depend on the split). Each
    // package's problems stay with it, so the result is the same either way.
    if (packages.size() >= kParallelPackages && bound <= kMaxFilesPerDatabase && std::thread::hardware_concurrency() > 1) {
        const std::size_t half = packages.size() / 2;
        FileBudget first, second;
        std::exception_ptr failed;
        std::thread other([&] {
            try {
                attach(half, packages.size(), second);
            } catch (...) {
                failed = std::current_exception();
            }
        });
        try {
            attach(0, half, first);
        } catch (...) {
            other.join();
            throw;
        }
        other.join();
        if (failed) std::rethrow_exception(failed);
    } else {
        FileBudget budget;
        attach(0, packages.size(), budget);
    }
    for (std::size_t i = 0; i < packages.size(); ++i) {
        for (auto& problem : info[i].problems) inv.problems.push_back(std::move(problem));
        inv.packages.push_back(std::move(packages[i]));
    }
}

void read_status_d(const RootView& root, Inventory& inv) {
    const std::string dir = std::string(kAdmin) + "/status.d";
    const auto resolved = resolve(root, dir);
    if (!resolved || root.kind(*resolved) != Kind::directory) return;
    FileBudget budget;
    Md5sums sums;
    std::size_t count = 0;
    std::size_t files = 0;
    for (const auto& name : root.list(*resolved)) {
        if (control_member(name)) continue;
        if (++files > kMaxPackagesPerDatabase) {
            inv.problems.push_back(util::Error{ErrorKind::limit, *resolved, {},
                                               "more than " + std::to_string(kMaxPackagesPerDatabase) +
                                                   " status files; the rest are not read"});
            return;
        }
        auto file = read_root_file(root, dir + "/" + name, inv.problems);
        if (!file) continue;
        inv.databases.push_back(file->path);
        auto packages = parse_dpkg_stanzas(file->bytes, file->path, inv.problems, MissingStatus::installed);
        const auto md5sums = read_root_file(root, dir + "/" + name + ".md5sums", inv.problems);
        for (auto& p : packages) {
            ProblemLog log(inv.problems, file->path);
            if (!another_package(count++, log, 0)) return;
            // "<name>.md5sums" belongs to the record of that name (or the file's only record).
            const bool owner = packages.size() == 1 || p.name == name;
            attach_files(p, std::nullopt, owner ? md5sums : std::nullopt, inv.problems, budget, sums);
            inv.packages.push_back(std::move(p));
        }
    }
}

}  // namespace

void read_dpkg_databases(const RootView& root, Inventory& inventory, bool md5sums) {
    read_status(root, inventory, md5sums);
    read_status_d(root, inventory);
}

}  // namespace tarsier::pkg::detail
