#pragma once
/// Which packages own a path (`files --owner`, `blame --owner`), as the package databases
/// record their files. Databases spell paths as the package put them ("lib/x86_64-linux-gnu/
/// libc.so.6") while a merged-/usr tree holds them under the symlinked directory's target
/// ("usr/lib/x86_64-linux-gnu/libc.so.6"): each owned path's parent directory is resolved
/// inside the image and both spellings are owned.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pkg/package.hpp"
#include "pkg/root_view.hpp"

namespace tarsier::query {

/// A package that owns a path.
struct Owner {
    pkg::Ecosystem ecosystem = pkg::Ecosystem::deb;
    std::string name;
    std::string version;  ///< pkg::Package::full_version()
    std::string arch;
};

/// The owners of every path an inventory's packages list (every record, whatever its
/// state, as `dpkg-query -S` answers).
class OwnerIndex {
public:
    /// Indexes `inventory`'s files, resolving parent directories through `root` (the tree
    /// the inventory was read from; only used while constructing).
    OwnerIndex(const pkg::Inventory& inventory, const pkg::RootView& root);

    /// The packages that own `path` (normalised, no leading '/'), sorted by ecosystem,
    /// name and arch; empty when none.
    [[nodiscard]] std::vector<Owner> owners(std::string_view path) const;

private:
    std::vector<Owner> m_packages;
    std::unordered_map<std::string, std::vector<std::uint32_t>> m_by_path;  ///< indexes into m_packages, ascending
};

/// "curl,libcurl4" (names joined by ','), or "-" when `owners` is empty.
std::string owner_names(const std::vector<Owner>& owners);

}  // namespace tarsier::query
