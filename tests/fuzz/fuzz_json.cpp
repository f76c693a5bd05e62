/// libFuzzer target: the JSON documents of an image archive. The input is parsed once
/// and read as every kind of document tarsier knows (manifest, index, image config,
/// descriptor, Docker's manifest.json and repositories, a v1 layer `json`), as if an
/// archive had put it in each place.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oci/config.hpp"
#include "oci/descriptor.hpp"
#include "oci/docker_archive.hpp"
#include "oci/json.hpp"
#include "oci/manifest.hpp"

using namespace tarsier;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto doc = oci::parse_json(text, "fuzz.json", 64);
    if (!doc) return 0;
    const oci::JsonValue& root = (*doc)->doc;
    (void)oci::classify(root);
    (void)oci::parse_manifest(root);
    (void)oci::parse_index(root);
    if (auto config = oci::parse_config(root)) {
        (void)oci::parse_rfc3339(config->created);
        for (const auto& h : config->history) (void)oci::parse_rfc3339(h.created);
    }
    (void)oci::parse_descriptor(root, "");
    (void)oci::parse_docker_manifest(root);
    (void)oci::parse_repositories(root);
    (void)oci::parse_v1_layer(root);
    (void)oci::to_json(root);
    return 0;
}
