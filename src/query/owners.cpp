#include "query/owners.hpp"

#include <algorithm>
#include <optional>
#include <tuple>

namespace tarsier::query {

OwnerIndex::OwnerIndex(const pkg::Inventory& inventory, const pkg::RootView& root) {
    std::vector<const pkg::Package*> sorted;
    for (const auto& p : inventory.packages) sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(), [](const pkg::Package* a, const pkg::Package* b) {
        return std::tie(a->ecosystem, a->name, a->arch) < std::tie(b->ecosystem, b->name, b->arch);
    });
    // Each parent directory resolved once: images own tens of thousands of paths in a few
    // hundred directories.
    std::unordered_map<std::string, std::optional<std::string>> resolved;
    auto own = [this](const std::string& path, std::uint32_t i) {
        auto& list = m_by_path[path];
        if (list.empty() || list.back() != i) list.push_back(i);
    };
    for (const auto* p : sorted) {
        auto i = static_cast<std::uint32_t>(m_packages.size());
        m_packages.push_back(Owner{p->ecosystem, p->name, p->full_version(), p->arch});
        for (const auto& f : p->files) {
            if (f.path.empty()) continue;
            own(std::string(f.path), i);
            auto slash = f.path.rfind('/');
            if (slash == std::string::npos) continue;
            std::string dir(f.path.substr(0, slash));
            auto it = resolved.find(dir);
            if (it == resolved.end()) it = resolved.emplace(dir, pkg::resolve(root, dir)).first;
            if (it->second && *it->second != dir) {
                std::string real = it->second->empty() ? std::string(f.path.substr(slash + 1)) : *it->second + std::string(f.path.substr(slash));
                own(real, i);
            }
        }
    }
}

std::vector<Owner> OwnerIndex::owners(std::string_view path) const {
    auto it = m_by_path.find(std::string(path));
    if (it == m_by_path.end()) return {};
    std::vector<Owner> out;
    for (auto i : it->second) out.push_back(m_packages[i]);
    return out;
}

std::string owner_names(const std::vector<Owner>& owners) {
    if (owners.empty()) return "-";
    std::string out;
    for (const auto& o : owners) out += (out.empty() ? "" : ",") + o.name;
    return out;
}

}  // namespace tarsier::query
