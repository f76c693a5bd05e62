#pragma once
/// Media types of the OCI image spec and Docker's schema 2, and what kind of object each names.

#include <string_view>

namespace tarsier::oci::media {

inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciEmpty = "application/vnd.oci.empty.v1+json";
inline constexpr std::string_view kDockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

/// An index or manifest list.
inline bool is_index(std::string_view m) { return m == kOciIndex || m == kDockerList; }
/// An image manifest (OCI or Docker schema 2).
inline bool is_manifest(std::string_view m) { return m == kOciManifest || m == kDockerManifest; }
/// An image configuration (OCI or Docker).
inline bool is_image_config(std::string_view m) { return m == kOciConfig || m == kDockerConfig; }
/// Whether a layer media type names a filesystem layer (a tar, compressed or not); artifacts
/// use other types for their "layers". An empty type counts as a layer.
inline bool is_filesystem_layer(std::string_view m) {
    return m.empty() || m.find(".tar") != std::string_view::npos || m.find("rootfs") != std::string_view::npos ||
           m.find(".layer.") != std::string_view::npos;
}
/// A non-distributable ("foreign") layer: its blob is often absent by design.
inline bool is_foreign_layer(std::string_view m) {
    return m.find("nondistributable") != std::string_view::npos || m.find(".foreign.") != std::string_view::npos;
}
/// The compression a layer media type declares: "gzip", "zstd", "none" or "" (unknown).
inline std::string_view declared_compression(std::string_view m) {
    if (m.ends_with("+gzip") || m.ends_with(".tar.gzip") || m.ends_with("tar.gzip")) return "gzip";
    if (m.ends_with("+zstd") || m.ends_with(".tar.zstd")) return "zstd";
    if (m.ends_with(".tar") || m.ends_with(".diff.tar")) return "none";
    return "";
}

}  // namespace tarsier::oci::media
