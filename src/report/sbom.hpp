#pragma once
/// Software bills of materials from the packages model: CycloneDX (1.6, or 1.7 on
/// request) and SPDX 2.3, as JSON. The image is the root component, identified by its
/// manifest digest (its ID when the archive has no manifest for it); each package carries
/// its purl, license, the layer that installed it and the layer that last changed it
/// (diff_id and CREATED BY), and the files it owns with the digests its database records.
///
/// Deterministic: no generation time unless `timestamp` is given; serial numbers and
/// document namespaces derive from the image digest. SPDX requires a creation time: it is
/// the image's `created` time (or `timestamp` when given; the Unix epoch when neither is).

#include <optional>
#include <string>

#include "image/model.hpp"
#include "query/packages.hpp"

namespace tarsier::report {

struct SbomOptions {
    std::string tool_version;              ///< tarsier's version, named as the creating tool
    std::string cyclonedx_version = "1.6";  ///< "1.6" or "1.7"
    std::optional<std::string> timestamp;  ///< RFC 3339, when the user asked for the generation time
};

/// CycloneDX JSON of `report` (the state after report.shown_layer) for `img`.
std::string render_cyclonedx(const image::Image& img, const query::PackagesReport& report, const SbomOptions& options);

/// SPDX 2.3 JSON of the same.
std::string render_spdx(const image::Image& img, const query::PackagesReport& report, const SbomOptions& options);

}  // namespace tarsier::report
