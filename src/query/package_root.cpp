#include "query/package_root.hpp"

#include <algorithm>
#include <span>

#include "query/merged.hpp"

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
    auto bytes = shared_bytes(path);
    if (!bytes) return std::nullopt;
    return *bytes;
}

std::shared_ptr<const std::string> PackageRoot::shared_bytes(std::string_view path) const {
    if (const fs::Node* n = m_tree.find(path); n && n->entry->type == '1') return linked_bytes(*n);
    const auto* f = captured(path);
    if (!f) return reread(path);
    if (f->too_large) return nullptr;
    // Shares the index that holds the bytes (captured() found them in a layer added).
    return std::shared_ptr<const std::string>(m_indexes[m_captured.find(path)->second.layer], &f->bytes);
}

std::shared_ptr<const std::string> PackageRoot::reread(std::string_view path) const {
    // Only a file the streaming pass was told to leave (pkg::wanted_for_listing) is read
    // again; any other uncaptured file was never a database.
    if (!m_read_link || pkg::wanted_for_listing(path) || !pkg::wanted(path)) return nullptr;
    const fs::Node* n = m_tree.find(path);
    if (!n || n->entry->type != '0' || m_captured.count(path)) return nullptr;
    return read_again(*n);
}

std::shared_ptr<const std::string> PackageRoot::read_again(const fs::Node& n) const {
    auto key = std::make_pair(static_cast<std::size_t>(n.layer), std::string(n.path()));
    auto it = m_links.find(key);
    if (it == m_links.end()) it = m_links.emplace(key, m_read_link(n.layer, n.path())).first;
    return it->second;
}

std::shared_ptr<const std::string> PackageRoot::linked_bytes(const fs::Node& link) const {
    // Both names wanted: the target's capture in the link's layer (a link names an entry
    // before it in the same layer).
    if (auto it = m_captured.find(link.entry->link()); it != m_captured.end() && it->second.layer == link.layer) {
        const auto* f = it->second.file;
        if (f->too_large) return nullptr;
        return std::shared_ptr<const std::string>(m_indexes[link.layer], &f->bytes);
    }
    if (!m_read_link) return nullptr;
    return read_again(link);
}

LinkReader archive_link_reader(const image::Archive& ar, const image::Image& img, const ReadOptions& read) {
    return [&ar, &img, read](std::size_t layer, std::string_view path) { return read_hardlinked(ar, img, read, layer, path); };
}

std::shared_ptr<const std::string> read_hardlinked(const image::Archive& ar, const image::Image& img,
                                                   const ReadOptions& read, std::size_t layer, std::string_view path) {
    auto plan = plan_merged(ar, img, MergedOptions{std::to_string(layer), {std::string(path)}, read});
    if (!plan || plan->empty) return nullptr;
    const fs::Node* node = plan->tree.find(path);
    if (!node) return nullptr;
    auto source = source_of(*plan, *node);
    if (!source) return nullptr;
    // One writer for the one entry, as `cat` reads it; a file over the limit is not kept.
    struct Collect final : MergedWriter {
        std::string bytes;
        bool kept = false;
        util::Result<void> write(const MergedEntry& e, io::Reader* data) override {
            if (!data || e.header.size > pkg::kMaxDatabaseBytes) return {};
            bytes.resize(static_cast<std::size_t>(e.header.size));
            for (std::size_t at = 0; at < bytes.size();) {
                auto n = data->read(std::span(reinterpret_cast<std::uint8_t*>(bytes.data()) + at, bytes.size() - at));
                if (!n) return n.failure();
                if (*n == 0) return util::fail(util::ErrorKind::truncated, e.header.path, "the layer ends inside this file's data");
                at += *n;
            }
            kept = true;
            return {};
        }
    } writer;
    for (auto& feeds : plan->feeds) feeds.clear();
    plan->feeds[source->layer][source->ordinal] = {node};
    if (!write_merged(ar, img, *plan, writer) || !writer.kept) return nullptr;
    return std::make_shared<const std::string>(std::move(writer.bytes));
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
