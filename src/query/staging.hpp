#pragma once
/// extract's staging: while the layers are indexed, the bytes of each compressed layer's
/// regular files are written into a private directory inside the target, each file with
/// the metadata its header gives it; once the plan is made, the files the merged tree keeps
/// are moved into place (io::RootDir::move_in) instead of their layers being decoded a
/// second time, and the directory goes with what is left in it (files later layers
/// delete or replace). Staging is only ever a shortcut: a file it could not keep is
/// written as before, from a second read of its layer.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/blob_scan.hpp"
#include "io/root_dir.hpp"
#include "query/merged.hpp"

namespace tarsier::query {

using Xattrs = std::vector<std::pair<std::string, std::string>>;

/// The metadata a regular file's header gives it when it is written (extract's rules).
using FileMetaOf = std::function<io::FileMeta(const archive::TarHeader& header, const Xattrs& xattrs)>;

/// The layer blobs worth staging for the tree after --layer `layer`: its layers up to it,
/// when that can be told before they are read (those above are indexed, never written).
/// nullopt: none; empty: all (the top).
std::optional<std::set<std::string, std::less<>>> staged_blobs(const image::Archive& archive, const image::Image& img,
                                                                std::string_view layer);

class Staging final : public StagedFiles {
public:
    /// The name of the private directory, in the target's root; an image whose merged tree
    /// has a root entry starting so is extracted without staging.
    static constexpr std::string_view kPrefix = ".tarsier-staging";

    /// Stages into the target `to` (opened, and created when absent, at the first file to
    /// keep; with `must_be_empty` a non-empty one keeps nothing).
    Staging(std::string to, bool must_be_empty, FileMetaOf meta_of);
    /// Removes the private directory and what is left in it, and the target too when
    /// staging created it and nothing else was written there (discard()).
    ~Staging() override;
    Staging(const Staging&) = delete;
    Staging& operator=(const Staging&) = delete;

    /// For ScanOptions::stager (ReadOptions::stager): the stager of one scan of a layer
    /// blob, of the blobs `only` names (the layers up to --layer; all when empty).
    archive::StagerFor stager_for(std::set<std::string, std::less<>> only = {});
    [[nodiscard]] bool has(const std::string& blob, std::uint32_t ordinal) const override;
    /// Moves the kept file `ordinal` of `blob` to `rel` in `root` (RootDir::move_in).
    util::Result<void> move(io::RootDir& root, const std::string& blob, std::uint32_t ordinal, std::string_view rel) const;
    /// The target, when staging opened it (nullptr otherwise).
    [[nodiscard]] io::RootDir* root() const { return m_root.get(); }
    /// Whether the private directory exists.
    [[nodiscard]] bool active() const { return m_dir.get() >= 0; }
    /// Whether a file could not be kept (a full disk, most likely): what was kept is then
    /// better discarded, its room given back before the layers are read again.
    [[nodiscard]] bool stopped() const { return m_stopped.load(); }
    /// Drops what was kept: removes the private directory, and the target when staging
    /// created it (it then holds nothing else).
    void discard();
    /// Says that the extraction went ahead: the target stays whatever happens next.
    void keep_target() { m_created_target = false; }

private:
    class BlobStager;
    /// Opens the target and makes the private directory, once; false when it cannot.
    bool ready();
    /// Records what one scan kept of `blob` (the first scan of a blob wins).
    void kept(const std::string& blob, std::uint32_t scan, std::vector<bool> ordinals);
    static std::string file_name(std::uint32_t scan, std::uint32_t ordinal);

    std::string m_to;
    bool m_must_be_empty;
    FileMetaOf m_meta_of;
    std::string m_name;
    mutable std::mutex m_mutex;  ///< guards all below but m_stopped and m_scans
    bool m_tried = false;        ///< ready() was called
    bool m_created_target = false;
    std::unique_ptr<io::RootDir> m_root;
    io::Fd m_dir;
    std::map<std::string, std::pair<std::uint32_t, std::vector<bool>>, std::less<>> m_kept;  ///< blob: scan, ordinals
    std::atomic<bool> m_stopped{false};   ///< a write failed (a full disk): keep nothing more
    std::atomic<std::uint32_t> m_scans{0};  ///< numbers the scans, whose files are named after them
};

}  // namespace tarsier::query
