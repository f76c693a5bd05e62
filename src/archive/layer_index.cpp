#include "archive/layer_index.hpp"

#include <xxhash.h>
#if defined(__x86_64__) && __has_include(<xxh_x86dispatch.h>)
// XXH3_128bits_update picks the widest vector unit at run time (AVX-512, AVX2, SSE2):
// libxxhash's plain entry points are built for the x86-64 baseline (SSE2), half as fast here.
#include <xxh_x86dispatch.h>
#endif

#include <algorithm>
#include <array>
#include <limits>
#include <optional>

#include "digest/digest.hpp"
#include "util/path.hpp"

namespace tarsier::archive {

namespace {

constexpr std::size_t kBlockSize = 64 * 1024;

static_assert(sizeof(IndexEntry) == 64, "an index entry is 64 bytes");

/// One file's content digest of a kind other than none, as IndexEntry::content() holds it.
class ContentHasher {
public:
    explicit ContentHasher(ContentDigest kind) : m_kind(kind) {
        if (m_kind == ContentDigest::xxh128) m_xxh = XXH3_createState();
    }
    ~ContentHasher() {
        if (m_xxh) XXH3_freeState(m_xxh);
    }
    ContentHasher(const ContentHasher&) = delete;
    ContentHasher& operator=(const ContentHasher&) = delete;

    void reset() {
        if (m_kind == ContentDigest::xxh128) XXH3_128bits_reset(m_xxh);
        else m_sha.emplace(digest::Algorithm::sha256);
    }
    void update(std::span<const std::uint8_t> bytes) {
        if (m_kind == ContentDigest::xxh128) XXH3_128bits_update(m_xxh, bytes.data(), bytes.size());
        else m_sha->update(bytes);
    }
    /// The digest's bytes, valid until the next reset().
    std::string_view finish() {
        if (m_kind == ContentDigest::xxh128) {
            XXH128_canonicalFromHash(&m_canonical, XXH3_128bits_digest(m_xxh));
            return {reinterpret_cast<const char*>(m_canonical.digest), sizeof m_canonical.digest};
        }
        m_bytes = m_sha->finish_bytes();
        m_sha.reset();
        return m_bytes;
    }

private:
    ContentDigest m_kind;
    XXH3_state_t* m_xxh = nullptr;
    XXH128_canonical_t m_canonical{};
    std::optional<digest::Hasher> m_sha;
    std::string m_bytes;
};

}  // namespace

util::Result<std::string> content_digest(ContentDigest kind, io::Reader& src) {
    if (kind == ContentDigest::none) return std::string();
    ContentHasher hasher(kind);
    hasher.reset();
    std::vector<std::uint8_t> buf(kBlockSize);
    for (;;) {
        auto n = src.read(buf);
        if (!n) return n.failure();
        if (*n == 0) break;
        hasher.update(std::span<const std::uint8_t>(buf.data(), *n));
    }
    return std::string(hasher.finish());
}

const char* StringArena::keep(std::span<const std::string_view> parts) {
    std::size_t n = 0;
    for (auto p : parts) n += p.size();
    if (n == 0) return "";
    if (n > m_left) {
        // A string longer than a block gets a block of its own; the current block stays open.
        std::size_t size = std::max(n, kBlockSize);
        m_blocks.push_back(std::make_unique<char[]>(size));
        m_allocated += size;
        if (size > kBlockSize) {
            char* at = m_blocks.back().get();
            char* w = at;
            for (auto p : parts) w = std::copy(p.begin(), p.end(), w);
            return at;
        }
        m_free = m_blocks.back().get();
        m_left = size;
    }
    char* at = m_free;
    for (auto p : parts) m_free = std::copy(p.begin(), p.end(), m_free);
    m_left -= n;
    return at;
}

void IndexEntry::set_strings(StringArena& arena, std::string_view path, std::string_view link,
                             std::string_view content, std::string_view xattrs) {
    // Names are bounded long before these limits (64 KiB); clamping keeps a view inside
    // what was stored whatever happens.
    path = path.substr(0, kMaxPath);
    link = link.substr(0, kMaxPath);
    content = content.substr(0, std::numeric_limits<std::uint8_t>::max());
    if (xattrs.size() > kMaxXattrs) {
        xattrs = xattrs.substr(0, kMaxXattrs);
        xattrs = xattrs.substr(0, xattrs.rfind('\0') + 1);  // whole names only
    }
    const std::array<std::string_view, 4> parts{path, link, content, xattrs};
    m_text = arena.keep(parts);
    m_path_len = path.size();
    m_link_len = link.size();
    m_content_len = static_cast<std::uint8_t>(content.size());
    m_xattrs_len = xattrs.size();
}

std::string content_text(std::string_view content) {
    if (content.empty()) return {};
    return (content.size() == 32 ? "sha256:" : "xxh128:") + digest::hex(content);
}

std::vector<std::string_view> xattr_names(std::string_view xattrs) {
    std::vector<std::string_view> out;
    while (!xattrs.empty()) {
        auto end = xattrs.find('\0');
        if (end == std::string_view::npos) end = xattrs.size();
        out.push_back(xattrs.substr(0, end));
        xattrs.remove_prefix(std::min(end + 1, xattrs.size()));
    }
    return out;
}

std::string join_xattr_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        out += n;
        out += '\0';
    }
    return out;
}

const IndexEntry& LayerIndex::add(const EntryData& d) {
    IndexEntry e;
    e.type = d.type;
    e.mode = d.mode;
    e.uid = d.uid;
    e.gid = d.gid;
    e.size = d.size;
    e.mtime = d.mtime;
    e.dev_major = d.dev_major;
    e.dev_minor = d.dev_minor;
    e.set_strings(strings, d.path, d.link, d.content, join_xattr_names(d.xattrs));
    return entries.emplace_back(e);
}

struct LayerIndexBuilder::Impl {
    ContentDigest kind;
    std::shared_ptr<LayerIndex> index = std::make_shared<LayerIndex>();
    std::optional<ContentHasher> content;  // unless kind is none
    bool open = false, hashing = false;
    IndexEntry current;
    std::string path, link, xattrs;
    bool (*wanted)(std::string_view) = nullptr;
    std::uint64_t capture_max = 0;
    std::optional<CapturedFile> capturing;
    bool file_digests = false;
    std::optional<digest::Hasher> md5, sha1, sha256;
    bool offsets = false;  // record_data_offsets()
    std::uint64_t offset = LayerIndex::kNoDataOffset;  // the current entry's
};

void LayerIndexBuilder::capture(bool (*wanted)(std::string_view), std::uint64_t max_bytes) {
    m_impl->wanted = wanted;
    m_impl->capture_max = max_bytes;
}

void LayerIndexBuilder::compute_file_digests() { m_impl->file_digests = true; }

void LayerIndexBuilder::record_data_offsets() { m_impl->offsets = true; }

void LayerIndexBuilder::begin(const TarHeader& h, std::uint64_t data_offset) {
    begin(h);
    if (!h.sparse) m_impl->offset = data_offset;
}

LayerIndexBuilder::LayerIndexBuilder(ContentDigest digest) : m_impl(std::make_unique<Impl>()) {
    m_impl->kind = digest;
    if (digest != ContentDigest::none) m_impl->content.emplace(digest);
}

LayerIndexBuilder::~LayerIndexBuilder() = default;

void LayerIndexBuilder::begin(const TarHeader& h) {
    auto& s = *m_impl;
    if (s.open) end();
    auto name = util::clean_path_in_root(h.path);
    if (!name) {
        s.index->escaping_names.push_back(h.path);
        s.open = false;
        return;
    }
    if (name->empty()) return;  // the root itself
    s.offset = LayerIndex::kNoDataOffset;
    IndexEntry& e = s.current;
    e = IndexEntry{};
    s.path = std::move(*name);
    e.type = h.type;
    e.mode = h.mode;
    e.uid = h.uid;
    e.gid = h.gid;
    e.size = h.type == '0' ? h.size : 0;
    e.mtime = h.mtime;
    e.dev_major = h.dev_major;
    e.dev_minor = h.dev_minor;
    s.xattrs = join_xattr_names(h.xattrs);
    if (h.type == '1') {
        auto target = util::clean_path_in_root(h.link);
        s.link = target ? *target : h.link;
    } else {
        s.link = h.link;
    }
    s.open = true;
    s.hashing = h.type == '0';
    if (s.hashing) {
        if (s.content) s.content->reset();
        if (s.wanted && s.wanted(s.path)) {
            s.capturing.emplace();
            s.capturing->path = s.path;
            s.capturing->size = h.size;
            s.capturing->too_large = h.size > s.capture_max;
            if (!s.capturing->too_large) s.capturing->bytes.reserve(h.size);
        }
        if (s.file_digests) {
            s.md5.emplace(digest::Algorithm::md5);
            s.sha1.emplace(digest::Algorithm::sha1);
            s.sha256.emplace(digest::Algorithm::sha256);
        }
    }
}

std::optional<std::uint32_t> LayerIndexBuilder::current_ordinal() const {
    if (!m_impl->open) return std::nullopt;
    return static_cast<std::uint32_t>(m_impl->index->entries.size());
}

const IndexEntry& LayerIndexBuilder::last_entry() const { return m_impl->index->entries.back(); }

void LayerIndexBuilder::data(std::span<const std::uint8_t> bytes) {
    auto& s = *m_impl;
    if (!s.open || !s.hashing) return;
    if (s.content) s.content->update(bytes);
    if (s.capturing && !s.capturing->too_large) {
        // The header's size bounds what is kept, whatever the stream says.
        std::size_t room = s.capture_max - s.capturing->bytes.size();
        s.capturing->bytes.append(reinterpret_cast<const char*>(bytes.data()), std::min(room, bytes.size()));
    }
    if (s.md5) {
        s.md5->update(bytes);
        s.sha1->update(bytes);
        s.sha256->update(bytes);
    }
}

void LayerIndexBuilder::end() {
    auto& s = *m_impl;
    if (!s.open) return;
    std::string_view content;
    if (s.hashing && s.content) content = s.content->finish();
    if (s.capturing) {
        s.index->captured.push_back(std::move(*s.capturing));
        s.capturing.reset();
    }
    if (s.md5) {
        s.index->file_digests[s.path] = FileDigests{s.md5->finish_bytes(), s.sha1->finish_bytes(), s.sha256->finish_bytes()};
        s.md5.reset();
        s.sha1.reset();
        s.sha256.reset();
    }
    s.current.set_strings(s.index->strings, s.path, s.link, content, s.xattrs);
    s.index->entries.push_back(s.current);
    if (s.offsets) s.index->data_offsets.push_back(s.offset);
    s.open = false;
}

std::shared_ptr<const LayerIndex> LayerIndexBuilder::finish() {
    end();
    return m_impl->index;
}

}  // namespace tarsier::archive
