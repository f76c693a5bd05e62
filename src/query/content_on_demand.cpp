#include "query/content_on_demand.hpp"

#include <vector>

#include "archive/layer_tar.hpp"

namespace tarsier::query {

ContentOnDemand::ContentOnDemand(const image::Archive& ar, const image::Image& img, archive::ContentDigest kind,
                                 const std::vector<std::shared_ptr<const archive::LayerIndex>>& indexes)
    : m_ar(ar), m_img(img), m_kind(kind), m_indexes(indexes) {}

bool ContentOnDemand::same(std::size_t layer_a, const archive::IndexEntry& a, std::size_t layer_b,
                           const archive::IndexEntry& b) {
    if (a.size != b.size) return false;
    if (!a.content().empty() && !b.content().empty()) return a.content() == b.content();
    auto da = digest(layer_a, a);
    auto db = digest(layer_b, b);
    return da && db && *da == *db;
}

audit::SameContent ContentOnDemand::comparator() {
    return [this](std::size_t la, const archive::IndexEntry& a, std::size_t lb, const archive::IndexEntry& b) {
        return same(la, a, lb, b);
    };
}

std::optional<std::uint32_t> ContentOnDemand::ordinal(std::size_t layer, const archive::IndexEntry& e) {
    if (layer >= m_indexes.size() || !m_indexes[layer]) return std::nullopt;
    if (m_ordinals.size() <= layer) m_ordinals.resize(layer + 1);
    auto& ordinals = m_ordinals[layer];
    if (ordinals.empty()) {
        std::uint32_t n = 0;
        for (const auto& x : m_indexes[layer]->entries) ordinals.emplace(&x, n++);
    }
    auto it = ordinals.find(&e);
    if (it == ordinals.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> ContentOnDemand::digest(std::size_t layer, const archive::IndexEntry& e) {
    if (!e.content().empty()) return std::string(e.content());
    if (auto known = m_digests.find(&e); known != m_digests.end()) return known->second;
    std::optional<std::string> out;
    auto at = ordinal(layer, e);
    auto blob = at && layer < m_img.layers.size() ? m_ar.container->find(m_ar.layers[m_img.layers[layer].layer].entry)
                                                   : util::Result<const archive::Entry*>(nullptr);
    if (at && blob && *blob) {
        const auto& index = *m_indexes[layer];
        if (index.data_offsets.size() == index.entries.size() && index.data_offsets[*at] != archive::LayerIndex::kNoDataOffset) {
            // Its bytes lie in a row in the blob.
            if (auto r = m_ar.container->open(**blob, index.data_offsets[*at], e.size))
                if (auto d = archive::content_digest(m_kind, **r)) out = std::move(*d);
        } else if (auto tar = archive::LayerTar::open(*m_ar.container, **blob)) {
            // A sparse file: the layer's tar is read up to it, its holes as zeros.
            archive::TarHeader h;
            std::string name;
            for (std::uint32_t n = 0;; ++n) {
                auto more = (*tar)->next_entry(h, name);
                if (!more || !*more) break;
                if (n < *at) continue;
                if (name == e.path()) {
                    archive::TarEntryReader data((*tar)->tar());
                    if (auto d = archive::content_digest(m_kind, data)) out = std::move(*d);
                }
                break;
            }
        }
    }
    m_digests.emplace(&e, out);
    return out;
}

}  // namespace tarsier::query
