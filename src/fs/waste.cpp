#include "fs/waste.hpp"

#include <algorithm>
#include <array>

#include "fs/tree.hpp"

namespace tarsier::fs {

namespace {

constexpr std::string_view kWhiteout = ".wh.";

using Leaf = WasteCounter::Leaf;

/// The leaves of one layer: its entries (the last of duplicates, as dive's tree keeps one
/// node per path) that no other entry of the layer lies under.
void collect_leaves(const archive::LayerIndex& index, std::uint32_t layer, const MergedTree& stacked,
                    archive::StringArena& arena, std::vector<Leaf>& out) {
    std::vector<const archive::IndexEntry*> sorted;
    sorted.reserve(index.entries.size());
    for (const auto& e : index.entries) sorted.push_back(&e);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const archive::IndexEntry* a, const archive::IndexEntry* b) { return a->path() < b->path(); });
    // Keep the last of each run of equal paths.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i + 1 < sorted.size() && sorted[i + 1]->path() == sorted[i]->path()) continue;
        sorted[kept++] = sorted[i];
    }
    sorted.resize(kept);
    std::string below;
    for (const auto* e : sorted) {
        std::string_view path = e->path();
        below.assign(path);
        below += '/';
        auto next = std::lower_bound(sorted.begin(), sorted.end(), std::string_view(below),
                                     [](const archive::IndexEntry* a, std::string_view p) { return a->path() < p; });
        if (next != sorted.end() && (*next)->path().starts_with(below)) continue;  // not a leaf
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
                below += '/';
                const auto& nodes = stacked.nodes();
                for (auto c = nodes.lower_bound(std::string_view(below)); c != nodes.end() && c->path().starts_with(below); ++c)
                    leaf.size += c->entry->size;
            }
        }
        out.push_back(leaf);
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
    std::sort(leaves.begin(), leaves.end(), [](const Leaf& a, const Leaf& b) {
        if (a.path != b.path) return a.path < b.path;
        return a.layer < b.layer;
    });
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
