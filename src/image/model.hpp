#pragma once
/// The resolved model of an image archive: images with their references, IDs, configs and
/// layers, whatever format the archive was written in. Layers shared between images are
/// one object. Absent blobs are represented, not errors.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/container.hpp"
#include "oci/config.hpp"
#include "oci/descriptor.hpp"
#include "oci/platform.hpp"

namespace tarsier::image {

/// The dialect an archive was written in.
enum class ArchiveFormat {
    docker_legacy,       ///< docker save <= 24: manifest.json + <id>/layer.tar
    docker_archive,      ///< docker-archive by other writers (gzip layers, sha256:<hex> config)
    docker_oci,          ///< docker save >= 25: manifest.json + OCI layout
    containerd_export,   ///< containerd's exporter (Docker's containerd image store)
    oci_layout,          ///< an OCI image layout (directory or tar)
    docker_v1,           ///< pre-1.10 docker save: repositories + <id>/json only
    bare_layer,          ///< a layer tar on its own (no manifest): one image, one layer, no config
};

/// A stable name: "docker-legacy", "docker-archive", "docker-oci", "containerd-export",
/// "oci-layout", "docker-v1", "bare-layer".
std::string_view to_string(ArchiveFormat f);

/// A layer blob of the archive.
struct Layer {
    std::string entry;        ///< container entry name; "" when the blob is absent
    std::string digest;       ///< the blob digest when known from a descriptor or a blobs/ path
    std::string media_type;   ///< as declared ("" when nothing declares one)
    std::int64_t declared_size = -1;  ///< from a descriptor, -1 when none
    std::vector<std::string> urls;    ///< foreign layers: where the blob lives
    std::string absent_reason;        ///< why it is absent ("" when present)
};

/// A layer at one position of one image.
struct ImageLayer {
    std::size_t layer = 0;   ///< index into Archive::layers
    std::string diff_id;     ///< rootfs.diff_ids at this position ("" when the config has fewer)
    int history = -1;        ///< index into config.history, -1 when no entry maps to it
};

/// A repository and tag; either may be empty (shown as <none>).
struct RepoTag {
    std::string repository;  ///< familiar form: "nginx", "user/app", "registry:5000/x"
    std::string tag;
    [[nodiscard]] std::string str() const;  ///< "repository:tag"
};

/// Another platform of the same multi-platform index, and whether its blobs are here.
struct PlatformEntry {
    std::string platform;      ///< oci::Platform::to_string_all(): "os[(os.version+features)]/arch[/variant]"; "" when the index gives none
    std::string digest;        ///< the platform manifest's digest
    bool present = false;      ///< manifest, config and layers all present
};

/// One image of the archive.
struct Image {
    std::vector<RepoTag> references;
    std::vector<std::string> repo_digests;  ///< "repository@sha256:…"
    std::string id;                          ///< "sha256:<config digest>"; "" for a bare layer (no config:
                                             ///< its diff_id would need the whole layer read)
    std::string manifest_digest;             ///< "" when the archive holds no manifest for it
    std::optional<oci::Descriptor> descriptor;  ///< the index.json descriptor that names it
    std::string index_digest;                ///< the multi-platform index it was chosen from
    std::vector<PlatformEntry> platforms;    ///< every platform of that index
    std::string config_entry;                ///< where the config is in the archive
    std::string config_text;                 ///< the config document, unchanged
    oci::ImageConfig config;
    std::vector<ImageLayer> layers;          ///< base first
    std::string parent;                      ///< parent image ID (docker save `Parent`)
    std::string source;                      ///< where it was found: "manifest.json/0", "index.json/manifests/2"

    /// The platform the config declares (os, architecture, variant, os.version).
    [[nodiscard]] oci::Platform platform_of() const;
    /// platform_of().to_string_all(): "os/arch[/variant]", with "(os.version)" after the
    /// OS when the config has one (Windows), so two such images can be told apart.
    [[nodiscard]] std::string platform() const;
};

/// Something worth reporting that does not stop the work.
struct Finding {
    std::string severity;  ///< "error", "warning" or "info"
    std::string code;      ///< stable identifier
    std::string where;     ///< entry, image or JSON pointer
    std::string message;
};

/// An index.json entry left out because it lacks the platform asked for with --platform
/// (while other entries have it), kept so that selecting it can say why it is missing.
struct PlatformAbsent {
    std::string where;                ///< "index.json/manifests/1 (ref name)"
    std::vector<RepoTag> references;  ///< the entry's reference, when it names one
    std::string digest;               ///< the index.json descriptor's digest
    std::string message;              ///< "platform linux/arm64 is not in the index; platforms present: ..."
};

/// A resolved archive.
struct Archive {
    std::unique_ptr<archive::Container> container;
    ArchiveFormat format = ArchiveFormat::oci_layout;
    std::vector<Layer> layers;
    std::vector<Image> images;
    std::vector<Finding> findings;
    std::vector<PlatformAbsent> platform_absent;  ///< only with an explicit platform
};

/// How to resolve.
struct ResolveOptions {
    /// The platform to choose from multi-platform indexes: an oci::Platform::parse
    /// specifier ("os[(os.version)]/arch[/variant]", or one element: "arm64" is
    /// linux/arm64). Resolution fails with ErrorKind::usage when it does not parse.
    std::string platform = "linux/amd64";
    /// Whether the user asked for that platform (then its absence is an error).
    bool platform_explicit = false;
};

/// Resolves an opened container into images. Fails with not_image when it is no image
/// archive and malformed when its documents are broken.
util::Result<Archive> resolve(std::unique_ptr<archive::Container> container, const ResolveOptions& options);

/// Like resolve(), but on failure `container` is left in place (so that what can still be
/// checked in a broken archive can be); on success it is moved into the Archive.
util::Result<Archive> resolve_keep(std::unique_ptr<archive::Container>& container, const ResolveOptions& options);

/// Opens and resolves `path` (a file, a directory or "-").
util::Result<Archive> open_archive(const std::string& path, const archive::OpenOptions& open_options,
                                   const ResolveOptions& options);

}  // namespace tarsier::image
