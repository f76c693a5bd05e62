#pragma once
/// How the package readers see an image root: a read-only view of the merged tree at one
/// layer (src/query builds it from the file index and the bytes captured during the
/// streaming pass), or a directory on disk in tests. Paths are normalised (no leading "/").

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tarsier::pkg {

/// What a path is in the view.
enum class Kind : std::uint8_t { none, file, directory, symlink, other };

class RootView {
public:
    virtual ~RootView() = default;
    /// The entry at `path` itself (a symlink is not followed).
    [[nodiscard]] virtual Kind kind(std::string_view path) const = 0;
    /// A symlink's target as stored; "" when `path` is not a symlink.
    [[nodiscard]] virtual std::string link(std::string_view path) const = 0;
    /// The bytes of the regular file at `path` (no symlink followed), when the view holds
    /// them: a view built during the stream holds only the files `wanted()` selected.
    [[nodiscard]] virtual std::optional<std::string> read(std::string_view path) const = 0;
    /// The same bytes, shared rather than copied: what the readers use. A view that holds
    /// the bytes already (the streamed view) hands out its own; the default wraps read().
    /// Null when read() would give nothing.
    [[nodiscard]] virtual std::shared_ptr<const std::string> shared_bytes(std::string_view path) const;
    /// The names (not paths) directly below directory `path`, sorted; empty when none.
    [[nodiscard]] virtual std::vector<std::string> list(std::string_view path) const = 0;
};

/// Whether the readers may need the bytes of the file at `path` (normalised): os-release
/// files, dpkg status, status.d/*, info/*.list and *.md5sums, apk installed, rpm databases.
/// The streaming pass keeps exactly these files' bytes, up to kMaxDatabaseBytes each.
bool wanted(std::string_view path);
/// wanted() without dpkg's info/*.md5sums, which give only digests when a package has
/// its info/*.list (status.d's md5sums list distroless packages' files: they stay). What
/// a view keeps for read_inventory without separate digests (InventoryOptions).
bool wanted_for_listing(std::string_view path);

/// The largest database file read (larger ones are a `limit` problem): 512 MiB.
inline constexpr std::uint64_t kMaxDatabaseBytes = std::uint64_t{512} << 20;

/// Follows symlinks at `path` (and in its parent directories) inside the root only, as
/// the container would see it: an absolute or climbing target resolves against the root;
/// at most 40 links. The resolved path, or nullopt when it does not resolve.
std::optional<std::string> resolve(const RootView& root, std::string_view path);

}  // namespace tarsier::pkg
