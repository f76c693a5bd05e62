#include "query/package_checks.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "pkg/root_view.hpp"
#include "util/plural.hpp"

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
std::vector<std::string> owned_paths(TreePaths& paths, const pkg::Package& p) {
    std::vector<std::string> out;
    for (const auto& f : p.files)
        if (!f.directory) out.push_back(paths(f.path));
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
    f.message = fmt::format("{}: {} {} without the package manager (its database entry: layer {})", e.package.name,
                            util::count(paths.size(), "file", "files"),
                            kind == PackageFindingKind::files_deleted ? "deleted" : "overwritten", e.last_changed_in);
    if (paths.size() > kMaxFindingPaths) paths.resize(kMaxFindingPaths);
    f.paths = std::move(paths);
    out.push_back(std::move(f));
}

/// Whether a database's digest text (any case) is `actual` ("alg:hex", lower case).
bool same_digest(std::string_view recorded, std::string_view actual) {
    return recorded.size() == actual.size() &&
           std::equal(recorded.begin(), recorded.end(), actual.begin(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
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
    return same_digest(recorded, actual);
}

/// Whether `recorded` is the digest of a symlink's target text.
bool link_matches(std::string_view recorded, std::string_view target, std::string& actual) {
    auto alg = recorded.substr(0, recorded.find(':'));
    std::optional<digest::Algorithm> a;
    if (alg == "md5") a = digest::Algorithm::md5;
    else if (alg == "sha1") a = digest::Algorithm::sha1;
    else if (alg == "sha256") a = digest::Algorithm::sha256;
    if (!a) return true;
    actual = digest::compute(*a, target);  // "alg:hex"
    return same_digest(recorded, actual);
}

}  // namespace

std::string TreePaths::operator()(std::string_view owned) {
    while (!owned.empty() && owned.front() == '/') owned.remove_prefix(1);
    auto parent = parent_of(owned);
    if (parent.empty()) return std::string(owned);
    auto it = m_parents.find(std::string(parent));
    if (it == m_parents.end()) {
        auto resolved = pkg::resolve(m_root, parent);
        it = m_parents.emplace(std::string(parent), resolved ? *resolved : std::string(parent)).first;
    }
    std::string out = it->second;
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
    TreePaths tree_path(root);
    for (const auto& f : p.files) {
        if (f.directory) continue;
        auto k = root.kind(tree_path(f.path));
        if (k == pkg::Kind::file || k == pkg::Kind::symlink) return true;
    }
    return false;
}

std::vector<PackageFinding> file_findings(const TreeHistory& h, const std::vector<PackageEntry>& packages) {
    // Only a layer after a package's last change can take its files away: the last layer
    // that changed anything bounds the work (a database written by the last layer costs
    // no file lookups at all).
    std::size_t last_changing = 0;
    for (std::size_t l = 0; l < h.changes.size(); ++l)
        if (!h.changes[l].changes.empty()) last_changing = l;
    struct Candidate {
        std::size_t package;
        std::size_t layer;
        bool deleted;
        std::string path;
    };
    std::vector<Candidate> candidates;
    TreePaths paths(h.root);
    for (std::size_t i = 0; i < packages.size(); ++i) {
        const auto& e = packages[i];
        if (!pkg::counts_as_installed(e.package.state) || e.last_changed_in >= last_changing) continue;
        for (auto& path : owned_paths(paths, e.package)) {
            const fs::Node* n = h.tree.find(path);
            if (!n) {
                auto l = deleting_layer(h, path, e.last_changed_in);
                // A directory that was deleted is no file the package lost.
                const auto* c = l ? change_at(h, *l, path) : nullptr;
                if (l && !(c && c->before() && c->before()->type == '5'))
                    candidates.push_back({i, *l, true, std::move(path)});
                continue;
            }
            if (is_directory(n) || n->layer <= e.last_changed_in) continue;
            const auto* c = change_at(h, n->layer, path);
            if (!c || c->kind != fs::ChangeKind::changed || !c->before() || !c->after) continue;
            if (c->before()->type == c->after->type && c->before()->content() == c->after->content() &&
                c->before()->link() == c->after->link())
                continue;  // metadata only
            candidates.push_back({i, n->layer, false, std::move(path)});
        }
    }
    if (candidates.empty()) return {};
    // A file that another package took over later (dpkg's Replaces) is that package's, so
    // the older owner's database is not contradicted.
    std::unordered_map<std::string, std::size_t> last_owner_change;  // copies: the paths move below
    for (const auto& c : candidates) last_owner_change.emplace(c.path, 0);
    for (const auto& e : packages) {
        if (!pkg::counts_as_installed(e.package.state)) continue;
        for (const auto& path : owned_paths(paths, e.package)) {
            auto it = last_owner_change.find(path);
            if (it != last_owner_change.end()) it->second = std::max(it->second, e.last_changed_in);
        }
    }
    std::map<std::tuple<std::size_t, bool, std::size_t>, std::vector<std::string>> grouped;  // package, kind, layer
    for (auto& c : candidates) {
        if (last_owner_change[c.path] > packages[c.package].last_changed_in) continue;
        grouped[{c.package, !c.deleted, c.layer}].push_back(std::move(c.path));
    }
    std::vector<PackageFinding> out;
    for (auto& [k, found] : grouped) {
        auto [package, overwritten, layer] = k;
        add_finding(out, overwritten ? PackageFindingKind::files_overwritten : PackageFindingKind::files_deleted,
                    packages[package], layer, std::move(found));
    }
    return out;
}

std::vector<UnownedFile> unowned_files(const TreeHistory& h, const std::vector<PackageEntry>& packages) {
    std::unordered_set<std::string> owned;
    TreePaths paths(h.root);
    for (const auto& e : packages)
        if (pkg::counts_as_installed(e.package.state))
            for (auto& p : owned_paths(paths, e.package)) owned.insert(std::move(p));
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
    TreePaths tree_path(h.root);
    for (const auto& e : packages) {
        if (!pkg::counts_as_installed(e.package.state)) continue;
        for (const auto& f : e.package.files) {
            if (f.directory || f.digest.empty()) continue;
            auto path = tree_path(f.path);
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
            if (t == '2') {
                // apk records the checksum of a symlink's target text; a symlink whose
                // target matches is what the package installed, any other replaced a file.
                if (link_matches(f.digest, n->entry->link(), c.actual)) continue;
                c.actual.clear();  // not a file: its content has no digest
                c.outcome = FileCheckOutcome::replaced;
                c.layer = n->layer;
                out.push_back(std::move(c));
                continue;
            }
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
