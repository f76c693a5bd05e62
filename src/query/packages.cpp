#include "query/packages.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "pkg/inventory.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"
#include "query/package_changes.hpp"
#include "query/package_checks.hpp"
#include "query/package_root.hpp"
#include "query/package_walk.hpp"

namespace tarsier::query {

const char* change_kind_name(PackageChangeKind k) {
    switch (k) {
    case PackageChangeKind::installed: return "installed";
    case PackageChangeKind::upgraded: return "upgraded";
    case PackageChangeKind::downgraded: return "downgraded";
    case PackageChangeKind::removed: return "removed";
    case PackageChangeKind::changed: return "changed";
    }
    return "changed";
}

const char* finding_code(PackageFindingKind k) {
    switch (k) {
    case PackageFindingKind::files_deleted: return "package-files-deleted";
    case PackageFindingKind::files_overwritten: return "package-files-overwritten";
    case PackageFindingKind::database_deleted: return "database-deleted";
    case PackageFindingKind::database_emptied: return "database-emptied";
    case PackageFindingKind::database_damaged: return "database-damaged";
    }
    return "database-damaged";
}

const char* outcome_name(FileCheckOutcome o) {
    switch (o) {
    case FileCheckOutcome::modified: return "modified";
    case FileCheckOutcome::missing: return "missing";
    case FileCheckOutcome::replaced: return "replaced";
    }
    return "modified";
}

namespace {

/// The directories that hold what pkg::wanted selects: a change to one of them, or to a
/// directory above one (a whiteout, a symlink swapped in), can change what the readers see.
constexpr std::string_view kDatabaseDirs[] = {
    "etc", "usr/lib", "var/lib/dpkg/info", "var/lib/dpkg/status.d", "lib/apk/db", "usr/lib/apk/db",
    "var/lib/rpm", "usr/lib/sysimage/rpm",
};

bool above_or_at(std::string_view path, std::string_view dir) {
    return dir == path || (dir.size() > path.size() && dir.substr(0, path.size()) == path && dir[path.size()] == '/');
}

/// Whether a layer's changes can change the inventory.
bool touches_databases(const fs::LayerChanges& changes) {
    for (const auto& c : changes.changes) {
        auto p = c.path();
        if (pkg::wanted(p)) return true;
        if (c.kind == fs::ChangeKind::added && c.after && c.after->type == '5') continue;  // a new directory alone reads nothing
        for (auto d : kDatabaseDirs)
            if (above_or_at(p, d)) return true;
    }
    return false;
}

/// The packages of an inventory by key (the first record of a key wins).
std::map<std::string, const pkg::Package*> by_key(const pkg::Inventory& inv) {
    std::map<std::string, const pkg::Package*> out;
    for (const auto& p : inv.packages) out.emplace(p.key(), &p);
    return out;
}

bool installed(const pkg::Package* p) { return p && pkg::counts_as_installed(p->state); }

bool same_files(const pkg::Package& a, const pkg::Package& b) { return a.files == b.files; }

struct Attribution {
    std::size_t installed_in = 0;
    std::size_t last_changed_in = 0;
};

/// The inventories seen so far and where each package came from.
struct History {
    pkg::Inventory current;
    /// By key, for every record of the current inventory: the layers that installed and
    /// last changed it (the records themselves stay in `current`, never copied).
    std::map<std::string, Attribution> entries;
};

/// The info/*.md5sums that `changes` added, deleted or rewrote, by name without
/// ".md5sums" ("curl:amd64" or "curl").
std::set<std::string, std::less<>> changed_md5sums(const fs::LayerChanges& changes) {
    constexpr std::string_view kInfo = "var/lib/dpkg/info/";
    constexpr std::string_view kExt = ".md5sums";
    std::set<std::string, std::less<>> out;
    for (const auto& c : changes.changes) {
        auto p = c.path();
        if (p.size() <= kInfo.size() + kExt.size() || !p.starts_with(kInfo) || !p.ends_with(kExt)) continue;
        const auto* before = c.before();
        if (c.kind == fs::ChangeKind::changed && before && c.after && before->type == c.after->type &&
            before->content() == c.after->content())
            continue;  // metadata only
        out.emplace(p.substr(kInfo.size(), p.size() - kInfo.size() - kExt.size()));
    }
    return out;
}

/// Whether `p`'s info/*.md5sums is among `changed` (either name dpkg may give it).
bool md5sums_changed(const std::set<std::string, std::less<>>& changed, const pkg::Package& p) {
    if (changed.empty() || p.ecosystem != pkg::Ecosystem::deb) return false;
    return changed.count(p.name) || (!p.arch.empty() && changed.count(p.name + ":" + p.arch));
}

/// What layer `layer` did to the packages (compare_inventories, as `diff` compares two
/// images), with the attribution kept up to date. `md5sums`: the dpkg md5sums this layer
/// changed, when they were not read (a package whose md5sums changed has changed).
std::vector<PackageChange> advance(History& h, pkg::Inventory next, std::size_t layer,
                                   const std::set<std::string, std::less<>>& md5sums) {
    auto digests_changed = [&](const pkg::Package& p) { return md5sums_changed(md5sums, p); };
    std::vector<PackageChange> out = compare_inventories(h.current, next, digests_changed);
    auto before = by_key(h.current);
    auto after = by_key(next);
    std::map<std::string, Attribution> entries;
    for (const auto& [key, p] : after) {
        auto found = before.find(key);
        const pkg::Package* old = found == before.end() ? nullptr : found->second;
        auto prev = h.entries.find(key);
        Attribution e{layer, layer};
        if (old && installed(old) == installed(p) && prev != h.entries.end()) {
            // Neither installed nor removed here: it keeps its installing layer, and its
            // last change too unless this layer changed it.
            bool same = old->state == p->state && old->full_version() == p->full_version() && same_files(*old, *p) &&
                        !digests_changed(*p);
            e.installed_in = prev->second.installed_in;
            if (same) e.last_changed_in = prev->second.last_changed_in;
        }
        entries.emplace(key, std::move(e));
    }
    h.entries = std::move(entries);
    h.current = std::move(next);
    return out;
}

/// The installed packages of `inv` read from `db`.
std::vector<const pkg::Package*> installed_from(const pkg::Inventory& inv, std::string_view db) {
    std::vector<const pkg::Package*> out;
    for (const auto& p : inv.packages)
        if (p.db_file == db && pkg::counts_as_installed(p.state)) out.push_back(&p);
    return out;
}

/// database-deleted and database-emptied: a database that held installed packages before
/// this layer and none after it, while some of those packages' files still ship.
void database_findings(const pkg::Inventory& before, const pkg::Inventory& after, const PackageRoot& root,
                       std::size_t layer, std::vector<PackageFinding>& out) {
    for (const auto& db : before.databases) {
        auto had = installed_from(before, db);
        if (had.empty() || !installed_from(after, db).empty()) continue;
        std::vector<std::string> shipping;
        for (const auto* p : had)
            if (ships_files(root, *p)) shipping.push_back(p->key());
        if (shipping.empty()) continue;
        bool present = std::find(after.databases.begin(), after.databases.end(), db) != after.databases.end();
        PackageFinding f;
        f.kind = present ? PackageFindingKind::database_emptied : PackageFindingKind::database_deleted;
        f.layer = layer;
        f.database = db;
        f.path_count = shipping.size();
        f.message = fmt::format("{} {} while {} of its {} installed packages still ship files; other tools see none of them",
                                db, present ? "was emptied" : "was deleted", shipping.size(), had.size());
        if (shipping.size() > kMaxFindingPaths) shipping.resize(kMaxFindingPaths);
        f.paths = std::move(shipping);  // the packages, by key
        out.push_back(std::move(f));
    }
}

/// database-damaged for the problems of `after` that `before` did not have.
void problem_findings(const pkg::Inventory& before, const pkg::Inventory& after, std::size_t layer,
                      std::vector<PackageFinding>& out) {
    std::set<std::string> seen;
    for (const auto& p : before.problems) seen.insert(p.to_string());
    for (const auto& p : after.problems) {
        if (seen.count(p.to_string())) continue;
        PackageFinding f;
        f.kind = PackageFindingKind::database_damaged;
        f.layer = layer;
        f.database = p.file;
        f.message = p.to_string();
        out.push_back(std::move(f));
    }
}

/// Captured databases over the capture limit: a problem, since the reader saw no bytes.
void too_large_problems(const PackageRoot& root, const archive::LayerIndex& index, pkg::Inventory& inv) {
    for (const auto& f : index.captured) {
        if (!f.too_large || root.captured(f.path) != &f) continue;
        inv.problems.push_back(util::Error{util::ErrorKind::limit, f.path, "",
                                           fmt::format("{} bytes, over the limit of {} bytes for a package database",
                                                       f.size, pkg::kMaxDatabaseBytes)});
    }
}

}  // namespace

struct PackageWalk::State {
    explicit State(const fs::MergedTree& t) : tree(t), root(t) {}
    const fs::MergedTree& tree;
    PackageRoot root;
    History history;
    PackagesReport rep;
    bool file_digests = true;
};

PackageWalk::PackageWalk(const fs::MergedTree& tree, std::vector<image::LayerId> layers)
    : m_state(std::make_unique<State>(tree)) {
    m_state->rep.layers = std::move(layers);
}

PackageWalk::~PackageWalk() = default;

void PackageWalk::set_link_reader(LinkReader reader) { m_state->root.set_link_reader(std::move(reader)); }

void PackageWalk::set_file_digests(bool on) { m_state->file_digests = on; }

void PackageWalk::add_layer(const std::shared_ptr<const archive::LayerIndex>& shared, std::size_t i,
                            const fs::LayerChanges& changes) {
    auto& rep = m_state->rep;
    auto& root = m_state->root;
    auto& history = m_state->history;
    const archive::LayerIndex& index = *shared;
    rep.shown_layer = i;
    root.add_layer(shared, i);
    LayerPackages lp;
    lp.layer = rep.layers[i];
    lp.databases_changed = !index.captured.empty() || touches_databases(changes);
    if (lp.databases_changed) {
        auto inv = pkg::read_inventory(root, {.separate_digests = m_state->file_digests});
        too_large_problems(root, index, inv);
        database_findings(history.current, inv, root, i, rep.package_findings);
        problem_findings(history.current, inv, i, rep.package_findings);
        lp.problems = inv.problems;
        lp.changes = advance(history, std::move(inv), i,
                             m_state->file_digests ? std::set<std::string, std::less<>>() : changed_md5sums(changes));
    }
    lp.installed_count = static_cast<std::size_t>(
        std::count_if(history.current.packages.begin(), history.current.packages.end(),
                      [](const pkg::Package& p) { return pkg::counts_as_installed(p.state); }));
    rep.per_layer.push_back(std::move(lp));
}

PackagesReport PackageWalk::finish(const std::vector<fs::LayerChanges>& changes,
                                   const std::vector<std::shared_ptr<const archive::LayerIndex>>& indexes,
                                   bool unowned, bool verify) {
    auto& rep = m_state->rep;
    auto& history = m_state->history;
    rep.os = history.current.os;
    rep.databases = history.current.databases;
    for (auto& p : history.current.packages) {
        auto it = history.entries.find(p.key());
        if (it == history.entries.end()) continue;  // a later record of a key already taken
        rep.packages.push_back(PackageEntry{std::move(p), it->second.installed_in, it->second.last_changed_in});
        history.entries.erase(it);
    }
    std::sort(rep.packages.begin(), rep.packages.end(), [](const PackageEntry& a, const PackageEntry& b) {
        return std::tie(a.package.ecosystem, a.package.name, a.package.arch) <
               std::tie(b.package.ecosystem, b.package.name, b.package.arch);
    });

    TreeHistory th{m_state->tree, m_state->root, changes, indexes};
    auto files = file_findings(th, rep.packages);
    rep.package_findings.insert(rep.package_findings.end(), files.begin(), files.end());
    std::sort(rep.package_findings.begin(), rep.package_findings.end(), [](const PackageFinding& a, const PackageFinding& b) {
        return std::tie(a.layer, a.kind, a.package, a.database) < std::tie(b.layer, b.kind, b.package, b.database);
    });
    if (unowned) rep.unowned = unowned_files(th, rep.packages);
    if (verify) rep.file_checks = verify_files(th, rep.packages);
    return std::move(rep);
}

util::Result<PackagesReport> packages(const image::Archive& ar, const image::Image& img, const PackagesOptions& options) {
    auto layers = read_layers(ar, img, options.read, packages_needs(options));
    auto indexes = layer_indexes(ar, img, layers);
    if (!indexes) return indexes.failure();
    auto chosen = image::select_layer(layers.ids, options.layer);
    if (!chosen) return chosen.failure();
    if (indexes->empty()) {
        PackagesReport rep;
        rep.layers = layers.ids;
        rep.findings = notes_of(ar, std::move(layers.findings));
        return rep;
    }
    const std::size_t shown = chosen->value_or(indexes->size() - 1);

    fs::MergedTree tree;
    PackageWalk walk(tree, layers.ids);
    walk.set_link_reader(archive_link_reader(ar, img, options.read));
    walk.set_file_digests(options.file_digests || options.verify_files);
    std::vector<fs::LayerChanges> changes;
    for (std::size_t i = 0; i <= shown; ++i) {
        changes.push_back(tree.apply((*indexes)[i], i));
        walk.add_layer((*indexes)[i], i, changes.back());
    }
    auto rep = walk.finish(changes, *indexes, options.unowned, options.verify_files);
    rep.findings = notes_of(ar, std::move(layers.findings));
    return rep;
}

}  // namespace tarsier::query
