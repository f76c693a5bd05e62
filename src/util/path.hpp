#pragma once
/// Lexical path cleaning, the one implementation behind archive entry names, layer entry
/// names and link targets, paths typed by the user, and platform formatting: Go's
/// path.Clean (Rob Pike's "Lexical File Names in Plan 9") and two forms of it for paths
/// inside an image's root. Nothing here touches a file system.

#include <optional>
#include <string>
#include <string_view>

namespace tarsier::util {

/// Go's path.Clean, byte for byte: repeated '/' become one, "." elements go, ".." removes
/// the element before it, a rooted path stays rooted and ".." at its root is dropped
/// ("/.." -> "/"), a relative path keeps the ".." it cannot remove ("../a"), the trailing
/// '/' goes (except for "/"), and an empty result is ".".
std::string clean_path(std::string_view path);

/// A path inside a root, as archive and layer entry names are stored: cleaned with the
/// leading '/' and "./" ignored, returned without a leading or trailing '/' ("" for the
/// root itself). nullopt when a ".." climbs above the root (`../x`, `a/../../x`, `/../x`):
/// such a name is reported, never followed. Names that are already clean (most of them)
/// are copied without the general pass.
std::optional<std::string> clean_path_in_root(std::string_view path);

/// What clean_path_in_root() returns, as a part of `path` with no copy, when the name is
/// clean but for its leading '/' ("/usr/bin/x" -> "usr/bin/x", "a/b" -> "a/b"); nullopt
/// when the general pass is needed (then call clean_path_in_root()).
std::optional<std::string_view> clean_path_in_root_view(std::string_view path);

/// Like clean_path_in_root(), but a ".." at the root stays at the root, as a path
/// resolved inside a container does (`/../etc` -> "etc", `/../..` -> ""). Never fails.
std::string clean_path_clamped(std::string_view path);

/// Whether `path` lies below the directory `dir` (not `dir` itself), both in the form
/// clean_path_in_root() returns: "usr/lib/x" is below "usr/lib", "usr/lib-x" is not.
/// Every path is below the root "".
inline bool is_below(std::string_view path, std::string_view dir) {
    if (dir.empty()) return !path.empty();
    return path.size() > dir.size() && path[dir.size()] == '/' && path.starts_with(dir);
}

}  // namespace tarsier::util
