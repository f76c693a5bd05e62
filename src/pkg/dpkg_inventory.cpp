// The dpkg part of read_inventory: var/lib/dpkg/status with the file lists and md5sums
// of var/lib/dpkg/info, and distroless's var/lib/dpkg/status.d (one status file per
// package, "<name>.md5sums" beside it, no Status field).
#include <string>
#include <unordered_map>

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
std::optional<std::string> owned_path(std::string_view raw) {
    auto clean = util::clean_path_in_root(raw);
    if (!clean || clean->empty()) return std::nullopt;
    return clean;
}

/// "<hex>  <path>" lines: path -> "md5:<hex>", in file order.
std::vector<std::pair<std::string, std::string>> parse_md5sums(std::string_view bytes, std::string_view file,
                                                               std::vector<Problem>& problems) {
    std::vector<std::pair<std::string, std::string>> out;
    ProblemLog log(problems, file);
    Lines lines(bytes);
    std::string_view line;
    while (lines.next(line)) {
        if (is_blank(line)) continue;
        const auto space = line.find(' ');
        const auto hex = line.substr(0, space);
        bool valid = hex.size() == 32 && space != std::string_view::npos;
        for (char c : hex) valid = valid && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
        if (!valid) {
            log.add(ErrorKind::malformed, lines.number(), "not \"<md5>  <path>\"");
            continue;
        }
        auto rest = line.substr(space);
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        if (!rest.empty() && rest.front() == '*') rest.remove_prefix(1);  // md5sum's binary mode mark
        auto path = owned_path(rest);
        if (!path) continue;
        std::string digest = "md5:";
        for (char c : hex) digest += static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
        out.emplace_back(std::move(*path), std::move(digest));
    }
    return out;
}

/// Fills p.files from a .list (every path dpkg installed) and digests from .md5sums;
/// with no list, the md5sums paths are the files.
void attach_files(Package& p, const std::optional<RootFile>& list, const std::optional<RootFile>& md5sums,
                  std::vector<Problem>& problems, FileBudget& budget) {
    std::vector<std::pair<std::string, std::string>> sums;
    if (md5sums) sums = parse_md5sums(md5sums->bytes, md5sums->path, problems);
    if (!list) {
        ProblemLog log(problems, md5sums ? md5sums->path : p.db_file);
        for (auto& [path, digest] : sums) {
            if (!budget.take(log, 0)) break;
            p.files.push_back(OwnedFile{std::move(path), std::move(digest), false});
        }
        return;
    }
    std::unordered_map<std::string_view, std::string_view> digest_of;
    digest_of.reserve(sums.size());
    for (const auto& [path, digest] : sums) digest_of.emplace(path, digest);
    ProblemLog log(problems, list->path);
    Lines lines(list->bytes);
    std::string_view line;
    while (lines.next(line)) {
        auto path = owned_path(line);
        if (!path) continue;
        if (!budget.take(log, lines.number())) break;
        OwnedFile f{std::move(*path), {}, false};
        if (const auto it = digest_of.find(f.path); it != digest_of.end()) f.digest = std::string(it->second);
        p.files.push_back(std::move(f));
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

void read_status(const RootView& root, Inventory& inv) {
    auto status = read_root_file(root, std::string(kAdmin) + "/status", inv.problems);
    if (!status) return;
    inv.databases.push_back(status->path);
    auto packages = parse_dpkg_stanzas(status->bytes, status->path, inv.problems, MissingStatus::problem);
    FileBudget budget;
    for (auto& p : packages) {
        const auto list = info_file(root, p, ".list", inv.problems);
        const auto md5sums = info_file(root, p, ".md5sums", inv.problems);
        attach_files(p, list, md5sums, inv.problems, budget);
        inv.packages.push_back(std::move(p));
    }
}

void read_status_d(const RootView& root, Inventory& inv) {
    const std::string dir = std::string(kAdmin) + "/status.d";
    const auto resolved = resolve(root, dir);
    if (!resolved || root.kind(*resolved) != Kind::directory) return;
    FileBudget budget;
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
            attach_files(p, std::nullopt, owner ? md5sums : std::nullopt, inv.problems, budget);
            inv.packages.push_back(std::move(p));
        }
    }
}

}  // namespace

void read_dpkg_databases(const RootView& root, Inventory& inventory) {
    read_status(root, inventory);
    read_status_d(root, inventory);
}

}  // namespace tarsier::pkg::detail
