#include "fs/waste.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "fs/tree.hpp"

namespace tarsier::fs {

namespace {

constexpr std::string_view kWhiteout = ".wh.";

struct PathData {
    std::uint64_t cumulative = 0;
    std::int64_t min = -1;
    std::size_t count = 0;
    std::uint64_t last = 0;  ///< size of the last copy (0 for a whiteout)
};

}  // namespace

WasteReport compute_waste(const std::vector<std::shared_ptr<const archive::LayerIndex>>& layers, bool dive_compatible) {
    WasteReport rep;
    std::map<std::string, PathData> data;
    MergedTree stacked;  // the layers below the current one, for whited-out directories
    for (std::size_t li = 0; li < layers.size(); ++li) {
        const auto& index = *layers[li];
        std::uint64_t layer_size = 0;
        // Leaves of this layer's tree: entries that no other entry of the layer is under.
        std::set<std::string> paths;
        for (const auto& e : index.entries) {
            paths.insert(e.path);
            if (e.type == '0') layer_size += e.size;
        }
        std::map<std::string, const archive::IndexEntry*> last;  // dive's tree keeps one node per path
        for (const auto& e : index.entries) last[e.path] = &e;
        for (const auto& [path, e] : last) {
            auto next = paths.upper_bound(path);
            bool leaf = next == paths.end() || !next->starts_with(path + "/");
            if (!leaf) continue;
            std::string_view base = path;
            if (auto s = base.rfind('/'); s != std::string_view::npos) base = base.substr(s + 1);
            std::string key = path;
            std::uint64_t size = e->type == '0' ? e->size : 0;
            bool whiteout = base.starts_with(kWhiteout);
            if (whiteout) {
                if (base.starts_with(".wh..wh.")) continue;  // opaque markers and AUFS metadata
                key = path.substr(0, path.size() - base.size()) + std::string(base.substr(kWhiteout.size()));
                size = 0;
                // A whited-out directory weighs what it held below.
                const auto& nodes = stacked.nodes();
                auto it = nodes.find(key);
                if (it != nodes.end() && it->second.entry.type == '5') {
                    for (auto c = nodes.lower_bound(key + "/"); c != nodes.end() && c->first.starts_with(key + "/"); ++c)
                        size += c->second.entry.size;
                }
            }
            auto& d = data[key];
            d.cumulative += size;
            if (d.min < 0 || static_cast<std::int64_t>(size) < d.min) d.min = static_cast<std::int64_t>(size);
            ++d.count;
            d.last = whiteout ? 0 : size;
        }
        rep.total_size += layer_size;
        if (li > 0) rep.user_size += layer_size;
        stacked.apply(index, li, false);
    }
    std::uint64_t minimum = 0, discovered = 0;
    for (const auto& [path, d] : data) {
        minimum += static_cast<std::uint64_t>(std::max<std::int64_t>(d.min, 0));
        discovered += d.cumulative;
        if (d.count < 2) continue;
        WastedPath w{"/" + path, d.count, d.cumulative, dive_compatible ? d.cumulative : d.cumulative - d.last};
        rep.wasted_bytes += w.wasted_bytes;
        rep.paths.push_back(std::move(w));
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
