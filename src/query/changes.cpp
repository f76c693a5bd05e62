#include "query/changes.hpp"

#include <fnmatch.h>

#include <algorithm>

#include <fmt/format.h>

#include "fs/diff.hpp"
#include "pkg/inventory.hpp"
#include "query/package_root.hpp"
#include "query/packages.hpp"
#include "query/notes.hpp"
#include "util/path.hpp"

namespace tarsier::query {

namespace {

/// What the filesystem queries read: with --owner, the package databases too.
Needs needs_of(bool owner) { return owner ? kPackagesNeeds : kFilesNeeds; }

}  // namespace

util::Result<Indexed> read_indexed(const image::Archive& ar, const image::Image& img, const ReadOptions& options,
                                   bool owner) {
    Indexed out;
    out.layers = read_layers(ar, img, options, needs_of(owner));
    auto indexes = layer_indexes(ar, img, out.layers);
    if (!indexes) return indexes.failure();
    out.indexes = std::move(*indexes);
    return out;
}

std::optional<util::Result<std::optional<std::size_t>>> preselect(const image::Archive& ar, const image::Image& img,
                                                                  std::string_view selector) {
    auto ids = layer_ids(ar, img);
    auto chosen = select_layer(ids, selector);
    bool decided = selector.find_first_not_of("0123456789") == std::string_view::npos ||
                   std::all_of(ids.begin(), ids.end(), [](const image::LayerId& id) { return !id.digest.empty(); });
    if (chosen || decided) return chosen;
    return std::nullopt;
}

util::Result<Chosen> read_choosing(const image::Archive& ar, const image::Image& img, std::string_view selector,
                                   const ReadOptions& options, bool owner) {
    // A digest the descriptors do not give (a docker-archive's gzip layers) is known once
    // the blobs are hashed.
    auto early = preselect(ar, img, selector);
    if (early && !*early) return early->failure();
    auto read = read_indexed(ar, img, options, owner);
    if (!read) return read.failure();
    auto chosen = early ? std::move(*early) : select_layer(read->layers.ids, selector);
    if (!chosen) return chosen.failure();
    return Chosen{std::move(*read), *chosen};
}

util::Result<ChangesReport> changes(const image::Archive& ar, const image::Image& img, const ChangesOptions& options) {
    auto got = read_choosing(ar, img, options.layer, options.read);
    if (!got) return got.failure();
    auto* read = &got->read;
    const auto& chosen = got->layer;
    ChangesReport rep;
    for (std::size_t i = 0; i < read->indexes.size(); ++i) {
        auto changes = rep.tree.apply(read->indexes[i], i);
        if (chosen && *chosen != i) continue;
        rep.layers.push_back({read->layers.ids[i], std::move(changes)});
    }
    rep.findings = notes_of(ar, std::move(read->layers.findings));
    return rep;
}

util::Result<BlameReport> blame(const image::Archive& ar, const image::Image& img, const BlameOptions& options) {
    auto read = read_indexed(ar, img, options.read, options.owner);
    if (!read) return read.failure();
    BlameReport rep;
    rep.path = util::clean_path_clamped(options.path);
    PackageRoot root(rep.tree);
    std::vector<std::optional<OwnerIndex>> owners_after;  // by layer: set for the layers that touched the path
    auto after_layer = [&](std::size_t i, bool touched) {
        root.add_layer(read->indexes[i], i);
        owners_after.emplace_back();
        if (touched) owners_after.back().emplace(pkg::read_inventory(root), root);
    };
    auto touched_layers = options.owner ? fs::blame(read->indexes, rep.path, rep.tree, after_layer)
                                        : fs::blame(read->indexes, rep.path, rep.tree);
    if (options.owner) {
        rep.owners.emplace();
        for (const auto& t : touched_layers) {
            auto& per_change = rep.owners->emplace_back();
            for (const auto& c : t.changes) per_change.push_back(owners_after[t.layer]->owners(c.path()));
        }
    }
    for (auto& touched : touched_layers) {
        LayerChangeSet set;
        set.layer = read->layers.ids[touched.layer];
        set.changes.changes.assign(std::make_move_iterator(touched.changes.begin()),
                                   std::make_move_iterator(touched.changes.end()));
        rep.layers.push_back(std::move(set));
    }
    rep.findings = notes_of(ar, std::move(read->layers.findings));
    return rep;
}

bool path_matches(std::string_view path, std::string_view pattern) {
    std::string p = fmt::format("/{}", path);
    std::string a = pattern.starts_with("/") ? std::string(pattern) : fmt::format("/{}", pattern);
    while (a.size() > 1 && a.back() == '/') a.pop_back();
    if (p == a || a == "/" || p.starts_with(a + "/")) return true;
    return ::fnmatch(a.c_str(), p.c_str(), FNM_PATHNAME) == 0;
}

util::Result<FilesReport> files(const image::Archive& ar, const image::Image& img, const FilesOptions& options) {
    auto got = read_choosing(ar, img, options.layer, options.read, options.owner);
    if (!got) return got.failure();
    auto* read = &got->read;
    const auto& chosen = got->layer;
    FilesReport rep;
    if (read->indexes.empty()) return rep;
    rep.layer = chosen.value_or(read->indexes.size() - 1);
    PackageRoot root(rep.tree);
    for (std::size_t i = 0; i <= rep.layer; ++i) {
        rep.tree.apply(read->indexes[i], i, false);
        root.add_layer(read->indexes[i], i);
    }
    std::vector<bool> used(options.patterns.size(), false);
    for (const auto& node : rep.tree.nodes()) {
        bool keep = options.patterns.empty();
        for (std::size_t k = 0; k < options.patterns.size(); ++k)
            if (path_matches(node.path(), options.patterns[k])) keep = used[k] = true;
        if (keep) rep.nodes.push_back(&node);
    }
    for (std::size_t k = 0; k < options.patterns.size(); ++k)
        if (!used[k]) rep.unmatched.push_back(options.patterns[k]);
    if (options.owner) {
        OwnerIndex index(pkg::read_inventory(root), root);
        rep.owners.emplace();
        for (const auto* n : rep.nodes) rep.owners->push_back(index.owners(n->path()));
    }
    rep.findings = notes_of(ar, std::move(read->layers.findings));
    return rep;
}

}  // namespace tarsier::query
