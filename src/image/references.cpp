#include "image/references.hpp"

#include "oci/reference.hpp"

namespace tarsier::image {

namespace {

/// The tag written after the name's last '/', or "" (nothing after '@' counts).
std::string_view written_tag(std::string_view ref) {
    const std::string_view name = ref.substr(0, ref.find('@'));
    const auto slash = name.rfind('/');
    const auto colon = name.rfind(':');
    if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) return {};
    return name.substr(colon + 1);
}

}  // namespace

std::string familiar_repository(std::string_view name) {
    // A name Docker would refuse (upper case, bad characters) is shown as it is written.
    auto ref = oci::Reference::parse(name);
    return ref ? ref->familiar_name() : std::string(name);
}

RepoTag split_reference(std::string_view ref) {
    RepoTag rt;
    rt.tag = std::string(written_tag(ref));
    // Reference::parse adds "latest" to a name without a tag; a RepoTag keeps it empty.
    if (auto parsed = oci::Reference::parse(ref)) {
        rt.repository = parsed->familiar_name();
        return rt;
    }
    std::string_view name = ref.substr(0, ref.find('@'));
    if (!rt.tag.empty()) name.remove_suffix(rt.tag.size() + 1);
    rt.repository = std::string(name);
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
