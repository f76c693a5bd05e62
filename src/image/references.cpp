#include "image/references.hpp"

namespace tarsier::image {

std::string familiar_repository(std::string_view name) {
    std::string n(name);
    for (std::string_view prefix : {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
        if (n.starts_with(prefix)) {
            n = n.substr(prefix.size());
            if (n.starts_with("library/") && n.find('/', 8) == std::string::npos) n = n.substr(8);
            break;
        }
    }
    return n;
}

RepoTag split_reference(std::string_view ref) {
    std::string_view name = ref.substr(0, ref.find('@'));
    RepoTag rt;
    auto slash = name.rfind('/');
    auto colon = name.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        rt.tag = std::string(name.substr(colon + 1));
        name = name.substr(0, colon);
    }
    rt.repository = familiar_repository(name);
    return rt;
}

std::optional<RepoTag> descriptor_reference(const oci::Descriptor& d) {
    if (auto it = d.annotations.find("io.containerd.image.name"); it != d.annotations.end() && !it->second.empty())
        return split_reference(it->second);
    auto it = d.annotations.find("org.opencontainers.image.ref.name");
    if (it == d.annotations.end() || it->second.empty()) return std::nullopt;
    const std::string& ref = it->second;
    // A bare tag ("latest", "1.0"); a name with a repository holds ':' after a '/', or a
    // colon at all ("sample:latest").
    if (ref.find(':') == std::string::npos && ref.find('/') == std::string::npos) return RepoTag{"", ref};
    return split_reference(ref);
}

}  // namespace tarsier::image
