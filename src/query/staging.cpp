#include "query/staging.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "query/changes.hpp"

namespace tarsier::query {

std::optional<std::set<std::string, std::less<>>> staged_blobs(const image::Archive& ar, const image::Image& img,
                                                                std::string_view layer) {
    if (layer.empty()) return std::set<std::string, std::less<>>{};
    auto early = preselect(ar, img, layer);
    if (!early || !*early || !**early) return std::nullopt;
    std::set<std::string, std::less<>> only;
    for (std::size_t i = 0; i <= ***early && i < img.layers.size(); ++i) only.insert(ar.layers[img.layers[i].layer].entry);
    return only;
}

/// Writes the regular files of one scan of a layer blob into the private directory.
class Staging::BlobStager final : public archive::FileStager {
public:
    BlobStager(Staging& staging, std::string blob, std::uint32_t scan)
        : m_staging(staging), m_blob(std::move(blob)), m_scan(scan) {}
    ~BlobStager() override {
        m_file = io::Fd();
        if (!m_ordinals.empty()) m_staging.kept(m_blob, m_scan, std::move(m_ordinals));
    }

    bool begin(std::uint32_t ordinal, const archive::TarHeader& header, const Xattrs& xattrs) override {
        m_file = io::Fd();
        if (m_staging.m_stopped.load(std::memory_order_relaxed) || !m_staging.ready()) return false;
        auto file = io::RootDir::create_in(m_staging.m_dir, file_name(m_scan, ordinal));
        if (!file) return stop();
        m_file = std::move(*file);
        m_ordinal = ordinal;
        m_size = header.size;
        m_written = 0;
        m_meta = m_staging.m_meta_of(header, xattrs);
        return true;
    }
    void data(std::span<const std::uint8_t> bytes) override {
        if (m_file.get() < 0) return;
        if (!io::RootDir::write_sparse(m_file, bytes, m_written)) stop();
    }
    void end() override {
        if (m_file.get() < 0) return;
        // Exactly its size: a sparse file's last hole gives no bytes.
        if (m_written > m_size || !io::RootDir::finish_file(m_file, m_size, m_meta, m_blob)) {
            stop();
            return;
        }
        m_file = io::Fd();
        if (m_ordinals.size() <= m_ordinal) m_ordinals.resize(m_ordinal + 1, false);
        m_ordinals[m_ordinal] = true;
    }

private:
    /// A write failed (a full disk, most likely): this file is not kept, and no more are.
    bool stop() {
        m_file = io::Fd();
        m_staging.m_stopped = true;
        return false;
    }

    Staging& m_staging;
    std::string m_blob;
    std::uint32_t m_scan;
    io::Fd m_file;  ///< the file begun, until it ends
    std::uint32_t m_ordinal = 0;
    std::uint64_t m_size = 0, m_written = 0;
    io::FileMeta m_meta;
    std::vector<bool> m_ordinals;  ///< kept, by ordinal (empty: none kept)
};

Staging::Staging(std::string to, bool must_be_empty, FileMetaOf meta_of)
    : m_to(std::move(to)), m_must_be_empty(must_be_empty), m_meta_of(std::move(meta_of)),
      m_name(fmt::format("{}-{}", kPrefix, ::getpid())) {}

Staging::~Staging() { discard(); }

archive::StagerFor Staging::stager_for(std::set<std::string, std::less<>> only) {
    return [this, only = std::move(only)](const std::string& blob) -> std::unique_ptr<archive::FileStager> {
        if (!only.empty() && !only.count(blob)) return nullptr;
        return std::make_unique<BlobStager>(*this, blob, m_scans.fetch_add(1));
    };
}

bool Staging::ready() {
    std::lock_guard lock(m_mutex);
    if (!m_tried) {
        m_tried = true;
        auto root = io::RootDir::open(m_to, m_must_be_empty, &m_created_target);
        if (!root) return false;  // extract opens it again and says why
        auto dir = (*root)->make_private_dir(m_name);
        if (!dir) {
            if (m_created_target) ::rmdir(m_to.c_str());
            m_created_target = false;
            return false;
        }
        m_root = std::move(*root);
        m_dir = std::move(*dir);
    }
    return m_dir.get() >= 0;
}

void Staging::kept(const std::string& blob, std::uint32_t scan, std::vector<bool> ordinals) {
    std::lock_guard lock(m_mutex);
    m_kept.try_emplace(blob, scan, std::move(ordinals));
}

std::string Staging::file_name(std::uint32_t scan, std::uint32_t ordinal) { return fmt::format("{}.{}", scan, ordinal); }

bool Staging::has(const std::string& blob, std::uint32_t ordinal) const {
    std::lock_guard lock(m_mutex);
    auto it = m_kept.find(blob);
    return it != m_kept.end() && ordinal < it->second.second.size() && it->second.second[ordinal];
}

util::Result<void> Staging::move(io::RootDir& root, const std::string& blob, std::uint32_t ordinal, std::string_view rel) const {
    std::uint32_t scan = 0;
    {
        std::lock_guard lock(m_mutex);
        scan = m_kept.at(blob).first;
    }
    return root.move_in(m_dir, file_name(scan, ordinal), rel);
}

void Staging::discard() {
    std::lock_guard lock(m_mutex);
    if (m_root && m_dir.get() >= 0) m_root->remove_private_dir(m_name, m_dir);
    m_dir = io::Fd();
    m_kept.clear();
    m_root.reset();
    if (m_created_target) ::rmdir(m_to.c_str());
    m_created_target = false;
}

}  // namespace tarsier::query
