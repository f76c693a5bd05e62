#pragma once
/// Content digests of the files of uncompressed layers, computed only for the files that
/// are compared. A scan with archive::ScanOptions::content_on_demand indexes such a layer
/// with where each file's bytes lie instead of their digests (hashing every byte of a
/// large docker-archive is the costliest part of indexing it); an audit compares only the
/// files a later layer rewrites, and only those of equal size need their bytes read again.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "archive/layer_index.hpp"
#include "audit/audit.hpp"
#include "image/model.hpp"

namespace tarsier::query {

class ContentOnDemand {
public:
    /// `indexes`: the index of each layer of `img` (base first) that the comparisons are
    /// about; it may grow while this is in use. `kind`: the digests the other layers'
    /// indexes hold. All must outlive this.
    ContentOnDemand(const image::Archive& ar, const image::Image& img, archive::ContentDigest kind,
                    const std::vector<std::shared_ptr<const archive::LayerIndex>>& indexes);

    /// audit::SameContent: files of different sizes differ; files of one size compare
    /// their digests, computed where an index has none. A file whose bytes cannot be read
    /// again counts as different (a finding, never a silent match).
    bool same(std::size_t layer_a, const archive::IndexEntry& a, std::size_t layer_b, const archive::IndexEntry& b);
    /// same() as an audit::SameContent; this must outlive it.
    audit::SameContent comparator();

private:
    /// The content digest of `e`, an entry of layer `layer`'s index; nullopt when its
    /// bytes cannot be read.
    std::optional<std::string> digest(std::size_t layer, const archive::IndexEntry& e);
    /// Where `e` is in layer `layer`'s index.
    std::optional<std::uint32_t> ordinal(std::size_t layer, const archive::IndexEntry& e);

    const image::Archive& m_ar;
    const image::Image& m_img;
    archive::ContentDigest m_kind;
    const std::vector<std::shared_ptr<const archive::LayerIndex>>& m_indexes;
    std::unordered_map<const archive::IndexEntry*, std::optional<std::string>> m_digests;
    std::vector<std::unordered_map<const archive::IndexEntry*, std::uint32_t>> m_ordinals;  ///< per layer, made when needed
};

}  // namespace tarsier::query
