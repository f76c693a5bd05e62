#include "query/package_root.hpp"

#include <algorithm>

namespace tarsier::query {

void PackageRoot::add_layer(std::shared_ptr<const archive::LayerIndex> index, std::size_t layer) {
    for (const auto& f : index->captured) m_captured[f.path] = Kept{&f, layer};
    if (m_indexes.size() <= layer) m_indexes.resize(layer + 1);
    m_indexes[layer] = std::move(index);
}

const archive::CapturedFile* PackageRoot::captured(std::string_view path) const {
    const fs::Node* n = m_tree.find(path);
    if (!n || n->entry->type != '0') return nullptr;
    auto it = m_captured.find(path);
    if (it == m_captured.end() || it->second.layer != n->layer) return nullptr;
    return it->second.file;
}

pkg::Kind PackageRoot::kind(std::string_view path) const {
    if (path.empty()) return pkg::Kind::directory;
    const fs::Node* n = m_tree.find(path);
    if (!n) return m_tree.has_children(path) ? pkg::Kind::directory : pkg::Kind::none;
    switch (n->entry->type) {
    case '0':
    case '1': return pkg::Kind::file;
    case '2': return pkg::Kind::symlink;
    case '5': return pkg::Kind::directory;
    default: return pkg::Kind::other;
    }
}

std::string PackageRoot::link(std::string_view path) const {
    const fs::Node* n = m_tree.find(path);
    if (!n || n->entry->type != '2') return {};
    return std::string(n->entry->link());
}

std::optional<std::string> PackageRoot::read(std::string_view path) const {
    const auto* f = captured(path);
    if (!f || f->too_large) return std::nullopt;
    return f->bytes;
}

std::shared_ptr<const std::string> PackageRoot::shared_bytes(std::string_view path) const {
    const auto* f = captured(path);
    if (!f || f->too_large) return nullptr;
    // Shares the index that holds the bytes (captured() found them in a layer added).
    return std::shared_ptr<const std::string>(m_indexes[m_captured.find(path)->second.layer], &f->bytes);
}

std::vector<std::string> PackageRoot::list(std::string_view path) const {
    std::string prefix(path);
    if (!prefix.empty()) prefix += '/';
    std::vector<std::string> names;
    const auto& nodes = m_tree.nodes();
    for (auto it = nodes.lower_bound(std::string_view(prefix)); it != nodes.end(); ++it) {
        std::string_view p = it->path();
        if (p.substr(0, prefix.size()) != prefix) break;
        std::string_view rest = p.substr(prefix.size());
        auto slash = rest.find('/');
        std::string_view name = rest.substr(0, slash);
        if (names.empty() || names.back() != name) names.emplace_back(name);
    }
    // Paths sort with '/' among other bytes ("a/b" after "a-b"): a child's name can come
    // back after a sibling; sort and unique once.
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

}  // namespace tarsier::query
