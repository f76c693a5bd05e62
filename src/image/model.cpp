#include "image/model.hpp"

namespace tarsier::image {

std::string_view to_string(ArchiveFormat f) {
    switch (f) {
        case ArchiveFormat::docker_legacy: return "docker-legacy";
        case ArchiveFormat::docker_archive: return "docker-archive";
        case ArchiveFormat::docker_oci: return "docker-oci";
        case ArchiveFormat::containerd_export: return "containerd-export";
        case ArchiveFormat::oci_layout: return "oci-layout";
        case ArchiveFormat::docker_v1: return "docker-v1";
        case ArchiveFormat::bare_layer: return "bare-layer";
    }
    return "unknown";
}

std::string RepoTag::str() const {
    return (repository.empty() ? "<none>" : repository) + ":" + (tag.empty() ? "<none>" : tag);
}

std::string Image::platform() const {
    std::string p = config.os + "/" + config.architecture;
    if (!config.variant.empty()) p += "/" + config.variant;
    return p;
}

}  // namespace tarsier::image
