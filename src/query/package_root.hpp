#pragma once
/// The pkg::RootView that the package readers see at one layer: the merged tree as it
/// stands (whiteouts applied) and the database bytes the blob scanner captured while the
/// layers streamed. A path's bytes are served only when the tree's node at that path is
/// the very file that was captured (same layer), so a database deleted, replaced by a
/// directory or overwritten by an uncaptured entry is never read stale. A database whose
/// name is a hardlink (tar keeps the bytes under the first name only) is read through the
/// link: from the target's capture, or read again from the archive (set_link_reader), as
/// is a dpkg md5sums that the capture left out (pkg::wanted_for_listing) when a reader
/// needs it after all (a package with no info/*.list).

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "archive/layer_index.hpp"
#include "fs/tree.hpp"
#include "image/model.hpp"
#include "pkg/root_view.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// The bytes of the file at `path` (a hardlink, or a file not captured) in the tree after
/// layer `layer`, read again from the archive; null when they cannot be (a stream, over
/// kMaxDatabaseBytes, no target).
using LinkReader = std::function<std::shared_ptr<const std::string>(std::size_t layer, std::string_view path)>;

/// A LinkReader over an archive: the layers read again up to the link's source entry.
std::shared_ptr<const std::string> read_hardlinked(const image::Archive& ar, const image::Image& img,
                                                   const ReadOptions& read, std::size_t layer, std::string_view path);
/// read_hardlinked as a LinkReader (`ar` and `img` must outlive it).
LinkReader archive_link_reader(const image::Archive& ar, const image::Image& img, const ReadOptions& read);

class PackageRoot final : public pkg::RootView {
public:
    /// A view of `tree` (which must outlive the view and may change under it: the view
    /// answers for the tree as it is at each call).
    explicit PackageRoot(const fs::MergedTree& tree) : m_tree(tree) {}

    /// Records the files captured in layer `layer` (call after applying it to the tree).
    /// The view shares `index`: the bytes it hands out keep it alive.
    void add_layer(std::shared_ptr<const archive::LayerIndex> index, std::size_t layer);

    /// The captured file at `path` as the tree holds it now, or null (absent, not captured,
    /// or set by another layer than the one captured).
    [[nodiscard]] const archive::CapturedFile* captured(std::string_view path) const;

    /// How a hardlink whose target was not captured is read (none: such a link is not read).
    void set_link_reader(LinkReader reader) { m_read_link = std::move(reader); }

    [[nodiscard]] pkg::Kind kind(std::string_view path) const override;
    [[nodiscard]] std::string link(std::string_view path) const override;
    [[nodiscard]] std::optional<std::string> read(std::string_view path) const override;
    [[nodiscard]] std::shared_ptr<const std::string> shared_bytes(std::string_view path) const override;
    [[nodiscard]] std::vector<std::string> list(std::string_view path) const override;

private:
    struct Kept {
        const archive::CapturedFile* file = nullptr;
        std::size_t layer = 0;
    };
    const fs::MergedTree& m_tree;
    std::vector<std::shared_ptr<const archive::LayerIndex>> m_indexes;  ///< by layer (null: not added)
    std::unordered_map<std::string_view, Kept> m_captured;  ///< by path: the latest capture
    LinkReader m_read_link;
    /// Hardlinks read again, by layer and path (a database is read at every layer that
    /// changes one; the bytes of a link do not change).
    mutable std::map<std::pair<std::size_t, std::string>, std::shared_ptr<const std::string>> m_links;

    [[nodiscard]] std::shared_ptr<const std::string> linked_bytes(const fs::Node& link) const;
    /// An uncaptured regular file that the capture left out on purpose (a dpkg md5sums
    /// under pkg::wanted_for_listing), read again from the archive; null otherwise.
    [[nodiscard]] std::shared_ptr<const std::string> reread(std::string_view path) const;
    /// The bytes of `node` read again through the link reader (cached).
    [[nodiscard]] std::shared_ptr<const std::string> read_again(const fs::Node& node) const;
};

}  // namespace tarsier::query
