#include "archive/layer_size.hpp"

#include <xxhash.h>

#include <string_view>
#include <vector>

#include "archive/entry.hpp"

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
    auto name = normalize_name(h.path);
    if (!name || name->empty()) return;
    if (h.type == '5' || is_whiteout(*name)) {
        // A directory (or whiteout) replaces what was at the path; directories count 0.
        m_paths.erase(key_of(*name));
        return;
    }
    if (h.type == '1') {
        auto target = normalize_name(h.link);
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

}  // namespace tarsier::archive
