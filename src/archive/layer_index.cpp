#include "archive/layer_index.hpp"

#include <xxhash.h>

#include <fmt/format.h>

#include "archive/entry.hpp"
#include "digest/digest.hpp"

namespace tarsier::archive {

struct LayerIndexBuilder::Impl {
    ContentDigest kind;
    std::shared_ptr<LayerIndex> index = std::make_shared<LayerIndex>();
    XXH3_state_t* xxh = nullptr;
    std::optional<digest::Hasher> sha;
    bool open = false, hashing = false;
    IndexEntry current;
};

LayerIndexBuilder::LayerIndexBuilder(ContentDigest digest) : m_impl(std::make_unique<Impl>()) {
    m_impl->kind = digest;
    m_impl->xxh = XXH3_createState();
}

LayerIndexBuilder::~LayerIndexBuilder() {
    if (m_impl->xxh) XXH3_freeState(m_impl->xxh);
}

void LayerIndexBuilder::begin(const TarHeader& h) {
    auto& s = *m_impl;
    if (s.open) end();
    auto name = normalize_name(h.path);
    if (!name) {
        s.index->escaping_names.push_back(h.path);
        s.open = false;
        return;
    }
    if (name->empty()) return;  // the root itself
    IndexEntry& e = s.current;
    e = IndexEntry{};
    e.path = std::move(*name);
    e.type = h.type;
    e.mode = h.mode;
    e.uid = h.uid;
    e.gid = h.gid;
    e.size = h.type == '0' ? h.size : 0;
    e.mtime = h.mtime;
    e.dev_major = h.dev_major;
    e.dev_minor = h.dev_minor;
    e.xattrs = h.xattrs;
    if (h.type == '1') {
        auto target = normalize_name(h.link);
        e.link = target ? *target : h.link;
    } else {
        e.link = h.link;
    }
    s.open = true;
    s.hashing = h.type == '0';
    if (s.hashing) {
        if (s.kind == ContentDigest::xxh128) XXH3_128bits_reset(s.xxh);
        else s.sha.emplace(digest::Algorithm::sha256);
    }
}

void LayerIndexBuilder::data(std::span<const std::uint8_t> bytes) {
    auto& s = *m_impl;
    if (!s.open || !s.hashing) return;
    if (s.kind == ContentDigest::xxh128) XXH3_128bits_update(s.xxh, bytes.data(), bytes.size());
    else s.sha->update(bytes);
}

void LayerIndexBuilder::end() {
    auto& s = *m_impl;
    if (!s.open) return;
    if (s.hashing) {
        if (s.kind == ContentDigest::xxh128) {
            XXH128_hash_t h = XXH3_128bits_digest(s.xxh);
            s.current.content = fmt::format("xxh128:{:016x}{:016x}", h.high64, h.low64);
        } else {
            s.current.content = s.sha->finish();
            s.sha.reset();
        }
    }
    s.index->entries.push_back(std::move(s.current));
    s.open = false;
}

std::shared_ptr<const LayerIndex> LayerIndexBuilder::finish() {
    end();
    m_impl->index->entries.shrink_to_fit();
    return m_impl->index;
}

}  // namespace tarsier::archive
