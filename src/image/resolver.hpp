#pragma once
/// Internal to the image module: shared state while an archive is resolved.

#include <map>
#include <set>

#include "image/model.hpp"
#include "oci/platform.hpp"
#include "oci/json.hpp"
#include "oci/manifest.hpp"

namespace tarsier::image::detail {

/// A blob read from the archive and parsed as JSON.
struct JsonBlob {
    const archive::Entry* entry = nullptr;  ///< nullptr when absent
    std::string text;
    std::unique_ptr<oci::JsonDocument> doc;
};

/// The manifest an index entry leads to, with what was learnt on the way.
struct ResolvedManifest {
    std::string digest;
    oci::Manifest manifest;
    std::string index_digest;
    std::vector<PlatformEntry> platforms;
};

class Resolver {
public:
    /// `want` is options.platform, parsed.
    Resolver(Archive& archive, const ResolveOptions& options, oci::Platform want)
        : m_archive(archive), m_options(options), m_want(std::move(want)) {}

    /// Reads and parses a JSON entry; nullptr entry in the result when absent.
    util::Result<JsonBlob> read_json(std::string_view name);
    /// The entry of a blob `alg:hex` under blobs/, or nullptr when absent.
    util::Result<const archive::Entry*> blob_entry(const std::string& digest);
    /// Reads a blob by digest and parses it.
    util::Result<JsonBlob> read_blob_json(const std::string& digest);

    /// Adds (or finds) a layer; layers are shared by entry name, or by digest when absent.
    std::size_t add_layer(Layer layer);
    /// Builds an image from its config blob text and layer list; maps history to layers.
    util::Result<Image> make_image(const std::string& config_entry, std::string config_text,
                                   const std::vector<std::size_t>& layers);
    void finding(std::string severity, std::string code, std::string where, std::string message);
    /// Notes an index entry that is no image and is not listed (`what` says what it is:
    /// "attestation manifest", "artifact (config …)"); counted once per digest.
    void not_an_image(const std::string& what, const std::string& digest);
    /// Adds the one "not-images" info finding that counts what not_an_image noted.
    void report_not_images();

    /// Follows an index.json descriptor to the manifest for the requested platform.
    /// Returns nullopt (with a finding) when it leads to no runnable image.
    util::Result<std::optional<ResolvedManifest>> follow(const oci::Descriptor& d, const std::string& where);

    /// Builds an image from a manifest whose config and layers live under blobs/.
    util::Result<std::optional<Image>> image_from_manifest(const ResolvedManifest& rm, const std::string& where);

    Archive& archive() { return m_archive; }
    const ResolveOptions& options() const { return m_options; }
    /// The platform to choose from multi-platform indexes.
    const oci::Platform& want() const { return m_want; }

private:
    util::Result<std::optional<ResolvedManifest>> follow_index(const oci::Descriptor& d, const std::string& where,
                                                               int depth, std::set<std::string>& visited);
    Archive& m_archive;
    const ResolveOptions& m_options;
    oci::Platform m_want;
    std::map<std::string, std::size_t> m_layer_by_key;
    std::map<std::string, std::set<std::string>> m_not_images;  ///< what -> digests
};

/// The readers, one per family of formats.
util::Result<void> resolve_docker_archive(Resolver& r);
util::Result<void> resolve_oci_layout(Resolver& r);
util::Result<void> resolve_docker_v1(Resolver& r);
/// A tar of file entries only: one image of one layer (the whole input), no config.
util::Result<void> resolve_bare_layer(Resolver& r);

}  // namespace tarsier::image::detail
