#include "pkg/inventory.hpp"

#include "pkg/readers.hpp"
#include "pkg/rpm_inventory.hpp"

namespace tarsier::pkg {

namespace detail {

std::optional<RootFile> read_root_file(const RootView& root, std::string_view path, std::vector<Problem>& problems) {
    auto resolved = resolve(root, path);
    if (!resolved || root.kind(*resolved) != Kind::file) return std::nullopt;
    auto bytes = root.shared_bytes(*resolved);
    if (!bytes) {
        problems.push_back(util::Error{util::ErrorKind::unreadable, *resolved, {}, "its bytes were not kept; not read"});
        return std::nullopt;
    }
    if (bytes->size() > kMaxDatabaseBytes) {
        problems.push_back(util::Error{util::ErrorKind::limit, *resolved, {}, "larger than 512 MiB; not read"});
        return std::nullopt;
    }
    std::string_view view = *bytes;
    return RootFile{std::move(*resolved), std::move(bytes), view};
}

OsRelease read_os_release(const RootView& root, std::vector<Problem>& problems) {
    // os-release(5): /etc/os-release wins; /usr/lib/os-release is the fallback.
    for (std::string_view path : {"etc/os-release", "usr/lib/os-release"}) {
        if (auto file = read_root_file(root, path, problems)) return parse_os_release(file->bytes, file->path);
    }
    return {};
}

void read_apk_database(const RootView& root, Inventory& inv) {
    // On merged-/usr systems lib is a symlink to usr/lib: the same file, read once.
    for (std::string_view path : {"lib/apk/db/installed", "usr/lib/apk/db/installed"}) {
        auto file = read_root_file(root, path, inv.problems);
        if (!file) continue;
        inv.databases.push_back(file->path);
        auto packages = parse_apk_installed(file->bytes, file->path, inv.problems);
        if (!packages) {
            inv.problems.push_back(packages.error());
            return;
        }
        for (auto& p : *packages) inv.packages.push_back(std::move(p));
        return;
    }
}

}  // namespace detail

Inventory read_inventory(const RootView& root, const InventoryOptions& options) {
    Inventory inv;
    inv.os = detail::read_os_release(root, inv.problems);
    detail::read_dpkg_databases(root, inv, options.separate_digests);
    detail::read_apk_database(root, inv);
    read_rpm_databases(root, inv);
    return inv;
}

}  // namespace tarsier::pkg
