#pragma once
/// What both SBOM writers say about the image and the layers: its name, digest, purl,
/// the document's UUID, and how a layer is described.

#include <string>
#include <string_view>

#include "image/layer_id.hpp"
#include "image/model.hpp"
#include "pkg/package.hpp"
#include "query/packages.hpp"

namespace tarsier::report::sbom {

struct Subject {
    std::string name;     ///< first repository, else "sha256:<short id>"
    std::string tag;      ///< first tag ("" when none)
    std::string digest;   ///< manifest digest, else the image ID ("sha256:<hex>"; "" for a bare layer)
    std::string purl;     ///< pkg:oci/<name>@<manifest digest>?... ("" without a manifest digest)
    std::string platform; ///< "linux/amd64"
};

Subject subject_of(const image::Image& img);

/// A version-4-shaped UUID made from SHA-256 of `seed` (the same seed, the same UUID).
std::string uuid_from(std::string_view seed);

/// "layer 3 sha256:<diff_id>: <CREATED BY>": the text that places a package in a layer.
std::string layer_context(const image::LayerId& layer);

/// The layer of position `i` in `report` (nullptr when out of range).
const image::LayerId* layer_at(const query::PackagesReport& report, std::size_t i);

/// "md5:<hex>" -> ("MD5", hex) in CycloneDX spelling ("MD5", "SHA-1", "SHA-256", "SHA-512"),
/// or SPDX spelling ("MD5", "SHA1", "SHA256", "SHA512"). Empty names for algorithms neither knows.
struct HashParts {
    std::string cyclonedx_alg, spdx_alg, hex;
};
HashParts hash_parts(std::string_view digest);

}  // namespace tarsier::report::sbom
