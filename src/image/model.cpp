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

oci::Platform Image::platform_of() const {
    return oci::Platform{config.os, config.architecture, config.variant, config.os_version, {}};
}

std::string Image::platform() const {
    // containerd's FormatAll says "unknown" for an empty OS; Docker's configs always name one,
    // and an archive that does not is shown as it is.
    if (config.os.empty()) return config.os + "/" + config.architecture + (config.variant.empty() ? "" : "/" + config.variant);
    return platform_of().to_string_all();
}

}  // namespace tarsier::image
