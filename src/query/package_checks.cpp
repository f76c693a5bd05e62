#include "query/package_checks.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "pkg/root_view.hpp"

namespace tarsier::query {

namespace {

std::string_view parent_of(std::string_view p) {
    auto slash = p.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : p.substr(0, slash);
}

bool is_directory(const fs::Node* n) { return n && n->entry->type == '5'; }

/// The change `layer` made at exactly `path`, or null.
const fs::Change* change_at(const TreeHistory& h, std::size_t layer, std::string_view path) {
    if (layer >= h.changes.size()) return nullptr;
    const auto& cs = h.changes[layer].changes;
    auto it = std::lower_bound(cs.begin(), cs.end(), path,
                               [](const fs::Change& c, std::string_view p) { return c.path() < p; });
    return it != cs.end() && it->path() == path ? &*it : nullptr;
}

/// The directories under which databases live, left out of --unowned.
constexpr std::string_view kDatabaseTrees[] = {"var/lib/dpkg/", "lib/apk/db/", "usr/lib/apk/db/", "var/lib/rpm/",
                                               "usr/lib/sysimage/rpm/"};

/// A package's non-directory files as tree paths.
std::vector<std::string> owned_paths(const pkg::RootView& root, const pkg::Package& p) {
    std::vector<std::string> out;
    for (const auto& f : p.files)
        if (!f.directory) out.push_back(tree_path(root, f.path));
    return out;
}

/// Adds a finding for `paths` of package `key`, listing at most kMaxFindingPaths.
void add_finding(std::vector<PackageFinding>& out, PackageFindingKind kind, const PackageEntry& e, std::size_t layer,
                 std::vector<std::string> paths) {
    std::sort(paths.begin(), paths.end());
    PackageFinding f;
    f.kind = kind;
    f.layer = layer;
    f.package = e.package.key();
    f.database = e.package.db_file;
    f.path_count = paths.size();
    f.message = fmt::format("{} {} {} of {}'s files (the database, last changed in layer {}, still lists them)",
                            kind == PackageFindingKind::files_deleted ? "deleted" : "overwrote", paths.size(),
                            paths.size() == 1 ? "file" : "files", e.package.name, e.last_changed_in);
    if (paths.size() > kMaxFindingPaths) paths.resize(kMaxFindingPaths);
    f.paths = std::move(paths);
    out.push_back(std::move(f));
}

/// Whether the digest text `recorded` ("md5:<hex>") matches the file's digests; the
/// file's digest in that algorithm through `actual`. False with `actual` empty when the
/// algorithm is not one computed.
bool digest_matches(std::string_view recorded, const archive::FileDigests& d, std::string& actual) {
    auto colon = recorded.find(':');
    auto alg = recorded.substr(0, colon);
    const std::string* bytes = alg == "md5" ? &d.md5 : alg == "sha1" ? &d.sha1 : alg == "sha256" ? &d.sha256 : nullptr;
    if (!bytes) return true;  // an algorithm not computed is not a mismatch
    actual = std::string(alg) + ":" + digest::hex(*bytes);
    std::string want(recorded);
    std::transform(want.begin(), want.end(), want.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return want == actual;
}

}  // namespace

std::string tree_path(const pkg::RootView& root, std::string_view owned) {
    while (!owned.empty() && owned.front() == '/') owned.remove_prefix(1);
    auto parent = parent_of(owned);
    if (parent.empty()) return std::string(owned);
    auto resolved = pkg::resolve(root, parent);
    if (!resolved) return std::string(owned);
    std::string out = *resolved;
    if (!out.empty()) out += '/';
    out += owned.substr(parent.size() + 1);
    return out;
}

std::optional<std::size_t> deleting_layer(const TreeHistory& h, std::string_view path, std::size_t after) {
    for (std::size_t l = after + 1; l < h.changes.size(); ++l) {
        for (std::string_view p = path; !p.empty(); p = parent_of(p)) {
            const auto* c = change_at(h, l, p);
            if (c && (c->kind == fs::ChangeKind::deleted || p != path)) return l;
        }
    }
    return std::nullopt;
}

bool ships_files(const pkg::RootView& root, const pkg::Package& p) {
    for (const auto& f : p.files) {
        if (f.directory) continue;
        auto k = root.kind(tree_path(root, f.path));
        if (k == pkg::Kind::file || k == pkg::Kind::symlink) return true;
    }
    return false;
}

std::vector<PackageFinding> file_findings(const TreeHistory& h, const std::vector<PackageEntry>& packages) {
    // Who owns a path last: a file that another package took over (dpkg's Replaces) is
    // that package's, so the older owner's database is not contradicted.
    std::map<std::string, std::size_t> last_owner_change;
    std::vector<std::vector<std::string>> owned;
    for (const auto& e : packages) {
        owned.push_back(pkg::counts_as_installed(e.package.state) ? owned_paths(h.root, e.package) : std::vector<std::string>{});
        for (const auto& p : owned.back()) {
            auto& l = last_owner_change[p];
            l = std::max(l, e.last_changed_in);
        }
    }
    std::vector<PackageFinding> out;
    for (std::size_t i = 0; i < packages.size(); ++i) {
        const auto& e = packages[i];
        std::map<std::size_t, std::vector<std::string>> deleted, overwritten;
        for (const auto& path : owned[i]) {
            if (last_owner_change[path] > e.last_changed_in) continue;
            const fs::Node* n = h.tree.find(path);
            if (!n) {
                if (auto l = deleting_layer(h, path, e.last_changed_in)) {
                    // A directory that was deleted is no file the package lost.
                    const auto* c = change_at(h, *l, path);
                    if (!(c && c->before() && c->before()->type == '5')) deleted[*l].push_back(path);
                }
                continue;
            }
            if (is_directory(n) || n->layer <= e.last_changed_in) continue;
            const auto* c = change_at(h, n->layer, path);
            if (!c || c->kind != fs::ChangeKind::changed || !c->before() || !c->after) continue;
            if (c->before()->type == c->after->type && c->before()->content() == c->after->content() &&
                c->before()->link() == c->after->link())
                continue;  // metadata only
            overwritten[n->layer].push_back(path);
        }
        for (auto& [l, paths] : deleted) add_finding(out, PackageFindingKind::files_deleted, e, l, std::move(paths));
        for (auto& [l, paths] : overwritten) add_finding(out, PackageFindingKind::files_overwritten, e, l, std::move(paths));
    }
    return out;
}

std::vector<UnownedFile> unowned_files(const TreeHistory& h, const std::vector<PackageEntry>& packages) {
    std::unordered_set<std::string> owned;
    for (const auto& e : packages)
        if (pkg::counts_as_installed(e.package.state))
            for (auto& p : owned_paths(h.root, e.package)) owned.insert(std::move(p));
    std::vector<UnownedFile> out;
    for (const auto& n : h.tree.nodes()) {
        char t = n.entry->type;
        if (t != '0' && t != '1' && t != '2') continue;
        auto p = n.path();
        if (pkg::wanted(p) || std::any_of(std::begin(kDatabaseTrees), std::end(kDatabaseTrees),
                                          [&](std::string_view d) { return p.substr(0, d.size()) == d; }))
            continue;
        if (owned.count(std::string(p))) continue;
        out.push_back(UnownedFile{std::string(p), t == '2' ? '2' : '0', n.entry->size, n.layer});
    }
    return out;  // the tree is sorted by path
}

std::vector<FileCheck> verify_files(const TreeHistory& h, const std::vector<PackageEntry>& packages) {
    std::vector<FileCheck> out;
    for (const auto& e : packages) {
        if (!pkg::counts_as_installed(e.package.state)) continue;
        for (const auto& f : e.package.files) {
            if (f.directory || f.digest.empty()) continue;
            auto path = tree_path(h.root, f.path);
            FileCheck c;
            c.package = e.package.key();
            c.path = path;
            c.expected = f.digest;
            const fs::Node* n = h.tree.find(path);
            if (!n) {
                c.outcome = FileCheckOutcome::missing;
                c.layer = deleting_layer(h, path, e.installed_in);
                out.push_back(std::move(c));
                continue;
            }
            char t = n->entry->type;
            if (t != '0' && t != '1') {
                c.outcome = FileCheckOutcome::replaced;
                c.layer = n->layer;
                out.push_back(std::move(c));
                continue;
            }
            const auto& digests = h.indexes[n->layer]->file_digests;
            auto it = digests.find(std::string(t == '1' ? n->entry->link() : n->path()));
            if (it == digests.end()) continue;  // not computed (opened without package digests)
            if (digest_matches(f.digest, it->second, c.actual)) continue;
            c.outcome = FileCheckOutcome::modified;
            c.layer = n->layer;
            out.push_back(std::move(c));
        }
    }
    std::sort(out.begin(), out.end(),
              [](const FileCheck& a, const FileCheck& b) { return std::tie(a.package, a.path) < std::tie(b.package, b.path); });
    return out;
}

}  // namespace tarsier::query
