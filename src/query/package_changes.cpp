#include "query/package_changes.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "pkg/inventory.hpp"

namespace tarsier::query {

namespace {

std::map<std::string, const pkg::Package*> by_key(const pkg::Inventory& inv) {
    std::map<std::string, const pkg::Package*> out;
    for (const auto& p : inv.packages) out.emplace(p.key(), &p);
    return out;
}

bool installed(const pkg::Package* p) { return p && pkg::counts_as_installed(p->state); }

PackageChange change_of(PackageChangeKind kind, const pkg::Package& p, std::string old_version, std::string new_version) {
    return PackageChange{kind, p.key(), p.ecosystem, p.name, p.arch, std::move(old_version), std::move(new_version)};
}

/// The change from `old` (null when absent) to `now`, if any (`also_changed`: see
/// compare_inventories).
std::optional<PackageChange> change_between(const pkg::Package* old, const pkg::Package& now,
                                            const std::function<bool(const pkg::Package&)>& also_changed) {
    const bool was = installed(old), is = installed(&now);
    if (!was && is) return change_of(PackageChangeKind::installed, now, old ? old->full_version() : "", now.full_version());
    if (was && !is) return change_of(PackageChangeKind::removed, *old, old->full_version(), "");
    if (!old) return std::nullopt;
    int order = was ? pkg::compare_versions(now.ecosystem, old->full_version(), now.full_version()) : 0;
    if (order < 0) return change_of(PackageChangeKind::upgraded, now, old->full_version(), now.full_version());
    if (order > 0) return change_of(PackageChangeKind::downgraded, now, old->full_version(), now.full_version());
    bool same = old->state == now.state && old->full_version() == now.full_version() && old->files == now.files &&
                !(also_changed && also_changed(now));
    if (!same && is) return change_of(PackageChangeKind::changed, now, old->full_version(), now.full_version());
    return std::nullopt;
}

}  // namespace

std::vector<PackageChange> compare_inventories(const pkg::Inventory& before, const pkg::Inventory& after,
                                               const std::function<bool(const pkg::Package&)>& also_changed) {
    auto old_by_key = by_key(before);
    auto new_by_key = by_key(after);
    std::vector<PackageChange> out;
    for (const auto& [key, p] : new_by_key) {
        auto found = old_by_key.find(key);
        if (auto c = change_between(found == old_by_key.end() ? nullptr : found->second, *p, also_changed))
            out.push_back(std::move(*c));
    }
    for (const auto& [key, old] : old_by_key)
        if (!new_by_key.count(key) && installed(old))
            out.push_back(change_of(PackageChangeKind::removed, *old, old->full_version(), ""));
    std::sort(out.begin(), out.end(), [](const PackageChange& a, const PackageChange& b) {
        return std::tie(a.kind, a.name, a.arch, a.ecosystem) < std::tie(b.kind, b.name, b.arch, b.ecosystem);
    });
    return out;
}

}  // namespace tarsier::query
