#pragma once
/// Internal to src/pkg: the parts of read_inventory (src/pkg/inventory.cpp), one per
/// format, and how they read a file of the root.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/package.hpp"
#include "pkg/root_view.hpp"

namespace tarsier::pkg::detail {

/// What a dpkg stanza without a Status field means: in /var/lib/dpkg/status it is a
/// damaged record (dpkg always writes one); distroless writes status.d files without it,
/// and there every record is an installed package.
enum class MissingStatus : std::uint8_t { problem, installed };

/// parse_dpkg_status with the choice above (parse_dpkg_status reads status.d's way).
std::vector<Package> parse_dpkg_stanzas(std::string_view bytes, std::string_view file,
                                        std::vector<Problem>& problems, MissingStatus missing);

/// A regular file of the root, found through symlinks inside the root.
struct RootFile {
    std::string path;   ///< the resolved path, where the bytes come from
    std::shared_ptr<const std::string> data;  ///< holds `bytes` (shared with the view, not copied)
    std::string_view bytes;
};

/// The file at `path` (symlinks followed inside the root); nullopt when there is none.
/// A file whose bytes the view does not hold, or that is larger than kMaxDatabaseBytes,
/// is a problem.
std::optional<RootFile> read_root_file(const RootView& root, std::string_view path,
                                       std::vector<Problem>& problems);

/// etc/os-release, else usr/lib/os-release; empty when neither is there.
OsRelease read_os_release(const RootView& root, std::vector<Problem>& problems);
/// var/lib/dpkg/status with info/*.list and *.md5sums, and status.d/*; without `md5sums`,
/// info/*.md5sums only of packages with no info/*.list.
void read_dpkg_databases(const RootView& root, Inventory& inventory, bool md5sums);
/// lib/apk/db/installed, else usr/lib/apk/db/installed.
void read_apk_database(const RootView& root, Inventory& inventory);

}  // namespace tarsier::pkg::detail
