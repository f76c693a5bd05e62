#include "fs/waste.hpp"

#include <algorithm>
#include <array>

#include "fs/tree.hpp"
#include "util/path.hpp"

namespace tarsier::fs {

namespace {

constexpr std::string_view kWhiteout = ".wh.";

using Leaf = WasteCounter::Leaf;

bool by_path(const Leaf& a, const Leaf& b) { return a.path < b.path; }

/// The leaves of one layer: its entries (the last of duplicates, as dive's tree keeps one
/// node per path) that no other entry of the layer lies under, appended to `out` sorted by
/// path (a whiteout before a file of the same path).
void collect_leaves(const archive::LayerIndex& index, std::uint32_t layer, const MergedTree& stacked,
                    archive::StringArena& arena, std::vector<Leaf>& out) {
    const std::size_t start = out.size();
    std::vector<Leaf> whiteouts;  // their paths are their targets': sorted apart
    std::vector<const archive::IndexEntry*> sorted;
    sorted.reserve(index.entries.size());
    for (const auto& e : index.entries) sorted.push_back(&e);
    auto path_order = [](const archive::IndexEntry* a, const archive::IndexEntry* b) { return a->path() < b->path(); };
    if (!std::is_sorted(sorted.begin(), sorted.end(), path_order)) std::stable_sort(sorted.begin(), sorted.end(), path_order);
    // Keep the last of each run of equal paths.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i + 1 < sorted.size() && sorted[i + 1]->path() == sorted[i]->path()) continue;
        sorted[kept++] = sorted[i];
    }
    sorted.resize(kept);
    std::string below;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const auto* e = sorted[i];
        std::string_view path = e->path();
        if (i + 1 < sorted.size() && util::is_below(sorted[i + 1]->path(), path)) continue;  // not a leaf
        // Every path between `path` and one below it starts with `path`: when the next one
        // does not, nothing lies below. Otherwise ("lib", "lib-x", ..., "lib/a") search.
        if (i + 1 < sorted.size() && sorted[i + 1]->path().starts_with(path)) {
            below.assign(path);
            below.push_back('/');
            auto next = std::lower_bound(sorted.begin() + static_cast<std::ptrdiff_t>(i) + 1, sorted.end(), std::string_view(below),
                                         [](const archive::IndexEntry* a, std::string_view p) { return a->path() < p; });
            if (next != sorted.end() && (*next)->path().starts_with(below)) continue;  // not a leaf
        }
        std::string_view base = path;
        if (auto s = base.rfind('/'); s != std::string_view::npos) base = base.substr(s + 1);
        Leaf leaf{path, e->type == '0' ? e->size : 0, layer, base.starts_with(kWhiteout)};
        if (leaf.whiteout) {
            if (base.starts_with(".wh..wh.")) continue;  // opaque markers and AUFS metadata
            const std::array<std::string_view, 2> parts{path.substr(0, path.size() - base.size()), base.substr(kWhiteout.size())};
            leaf.path = std::string_view(arena.keep(parts), parts[0].size() + parts[1].size());
            leaf.size = 0;
            // A whited-out directory weighs what it held below.
            const Node* n = stacked.find(leaf.path);
            if (n && n->entry->type == '5') {
                below.assign(leaf.path);
                below.push_back('/');
                const auto& nodes = stacked.nodes();
                for (auto c = nodes.lower_bound(std::string_view(below)); c != nodes.end() && c->path().starts_with(below); ++c)
                    leaf.size += c->entry->size;
            }
        }
        (leaf.whiteout ? whiteouts : out).push_back(leaf);
    }
    if (whiteouts.empty()) return;
    std::sort(whiteouts.begin(), whiteouts.end(), by_path);
    std::vector<Leaf> merged;
    merged.reserve(out.size() - start + whiteouts.size());
    std::merge(whiteouts.begin(), whiteouts.end(), out.begin() + static_cast<std::ptrdiff_t>(start), out.end(),
               std::back_inserter(merged), by_path);
    out.resize(start);
    out.insert(out.end(), merged.begin(), merged.end());
}

/// Sorts `leaves`, made of runs each sorted by path and ending at `ends`, by path and
/// then by run: the runs merged pairwise (stable, so a path's leaves stay in run order).
void merge_runs(std::vector<Leaf>& leaves, std::vector<std::size_t> ends) {
    auto at = [&](std::size_t i) { return leaves.begin() + static_cast<std::ptrdiff_t>(i); };
    while (ends.size() > 1) {
        std::vector<std::size_t> merged;
        std::size_t begin = 0;
        for (std::size_t k = 0; k < ends.size(); k += 2) {
            if (k + 1 < ends.size()) {
                std::inplace_merge(at(begin), at(ends[k]), at(ends[k + 1]), by_path);
                merged.push_back(ends[k + 1]);
            } else {
                merged.push_back(ends[k]);
            }
            begin = merged.back();
        }
        ends = std::move(merged);
    }
}

}  // namespace

WasteCounter::WasteCounter(bool dive_compatible) : m_dive(dive_compatible) {}
WasteCounter::~WasteCounter() = default;

void WasteCounter::add_layer(const archive::LayerIndex& index, std::size_t layer, const MergedTree& below) {
    std::uint64_t layer_size = 0;
    for (const auto& e : index.entries)
        if (e.type == '0') layer_size += e.size;
    collect_leaves(index, static_cast<std::uint32_t>(layer), below, m_arena, m_leaves);
    m_run_ends.push_back(m_leaves.size());
    m_rep.total_size += layer_size;
    if (layer > 0) m_rep.user_size += layer_size;
}

WasteReport compute_waste(const std::vector<std::shared_ptr<const archive::LayerIndex>>& layers, bool dive_compatible) {
    WasteCounter counter(dive_compatible);
    MergedTree stacked;  // the layers below the current one, for whited-out directories
    for (std::size_t li = 0; li < layers.size(); ++li) {
        counter.add_layer(*layers[li], li, stacked);
        stacked.apply(layers[li], li, false);
    }
    return counter.finish();
}

WasteReport WasteCounter::finish() {
    WasteReport rep = std::move(m_rep);
    std::vector<Leaf>& leaves = m_leaves;
    const bool dive_compatible = m_dive;
    // Every path's leaves together, base layer first.
    merge_runs(leaves, std::move(m_run_ends));
    std::uint64_t minimum = 0, discovered = 0;
    for (std::size_t i = 0; i < leaves.size();) {
        std::size_t j = i;
        std::uint64_t cumulative = 0, min = leaves[i].size;
        while (j < leaves.size() && leaves[j].path == leaves[i].path) {
            cumulative += leaves[j].size;
            min = std::min(min, leaves[j].size);
            ++j;
        }
        const Leaf& last = leaves[j - 1];
        const std::size_t count = j - i;
        minimum += min;
        discovered += cumulative;
        if (count >= 2) {
            std::uint64_t last_size = last.whiteout ? 0 : last.size;
            WastedPath w{"/" + std::string(leaves[i].path), count, cumulative, dive_compatible ? cumulative : cumulative - last_size};
            rep.wasted_bytes += w.wasted_bytes;
            rep.paths.push_back(std::move(w));
        }
        i = j;
    }
    rep.efficiency = discovered == 0 ? 1.0 : static_cast<double>(minimum) / static_cast<double>(discovered);
    rep.user_wasted_fraction = rep.user_size == 0 ? 0.0 : static_cast<double>(rep.wasted_bytes) / static_cast<double>(rep.user_size);
    std::sort(rep.paths.begin(), rep.paths.end(), [](const WastedPath& a, const WastedPath& b) {
        if (a.wasted_bytes != b.wasted_bytes) return a.wasted_bytes > b.wasted_bytes;
        return a.path < b.path;
    });
    return rep;
}

}  // namespace tarsier::fs
