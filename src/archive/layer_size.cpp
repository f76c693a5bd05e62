#include "archive/layer_size.hpp"

#include <xxhash.h>

#include <algorithm>
#include <limits>
#include <string_view>
#include <vector>

#include "util/path.hpp"

namespace tarsier::archive {

namespace {

bool is_whiteout(std::string_view path) {
    auto slash = path.rfind('/');
    std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    return base.starts_with(".wh.");
}

}  // namespace

LayerSizer::Key LayerSizer::key_of(std::string_view path) {
    XXH128_hash_t h = XXH3_128bits(path.data(), path.size());
    return Key{h.low64, h.high64};
}

void LayerSizer::add(const TarHeader& h) {
    auto name = util::clean_path_in_root(h.path);
    if (!name || name->empty()) return;
    if (h.type == '5' || is_whiteout(*name)) {
        // A directory (or whiteout) replaces what was at the path; directories count 0.
        m_paths.erase(key_of(*name));
        return;
    }
    if (h.type == '1') {
        auto target = util::clean_path_in_root(h.link);
        if (target) {
            auto it = m_paths.find(key_of(*target));
            if (it != m_paths.end()) {
                m_paths[key_of(*name)] = it->second;
                return;
            }
        }
        // The target is in a lower layer; its bytes are not this layer's.
        m_paths[key_of(*name)] = Node{m_next_inode++, 0};
        return;
    }
    std::uint64_t size = 0;
    if (h.type == '0') size = h.size;
    else if (h.type == '2') size = h.link.size();
    std::uint64_t inode = m_next_inode++;
    m_paths[key_of(*name)] = Node{inode, size};
}

std::uint64_t LayerSizer::total() const {
    std::vector<bool> seen(m_next_inode);  // inodes are numbered 1, 2, ...
    std::uint64_t sum = 0;
    for (const auto& [path, node] : m_paths) {
        if (!seen[node.inode]) sum += node.size;
        seen[node.inode] = true;
    }
    return sum;
}

std::uint64_t layer_size(const LayerIndex& index) {
    const auto& entries = index.entries;
    const std::size_t n = entries.size();
    constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    auto erases = [&](std::uint32_t i) { return entries[i].type == '5' || is_whiteout(entries[i].path()); };
    // Entry numbers sorted by path; equal paths stay in tar order.
    std::vector<std::uint32_t> by_path(n);
    for (std::size_t i = 0; i < n; ++i) by_path[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(by_path.begin(), by_path.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return entries[a].path() < entries[b].path(); });
    // The entry whose content each entry shares (LayerSizer's inode): itself, or for a
    // hardlink what its target shared when the hardlink came (the target's latest entry
    // before it; none, or a directory or whiteout there, gives the hardlink its own empty
    // inode). Targets come first, so one pass in tar order resolves chains.
    std::vector<std::uint32_t> owner(n);
    for (std::size_t i = 0; i < n; ++i) {
        owner[i] = static_cast<std::uint32_t>(i);
        const IndexEntry& e = entries[i];
        if (e.type != '1') continue;
        std::string_view target = e.link();
        auto lo = std::lower_bound(by_path.begin(), by_path.end(), target,
                                   [&](std::uint32_t a, std::string_view p) { return entries[a].path() < p; });
        std::uint32_t latest = kNone;
        for (auto it = lo; it != by_path.end() && entries[*it].path() == target && *it < i; ++it) latest = *it;
        if (latest != kNone && !erases(latest)) owner[i] = owner[latest];
    }
    // Each path's last entry is what the layer leaves there; each shared content counts once.
    std::vector<bool> counted(n);
    std::uint64_t sum = 0;
    for (std::size_t k = 0; k < n; ++k) {
        std::uint32_t i = by_path[k];
        if (k + 1 < n && entries[by_path[k + 1]].path() == entries[i].path()) continue;  // not the last
        if (erases(i) || counted[owner[i]]) continue;
        counted[owner[i]] = true;
        const IndexEntry& o = entries[owner[i]];
        if (o.type == '0') sum += o.size;
        else if (o.type == '2') sum += o.link().size();
    }
    return sum;
}

}  // namespace tarsier::archive
