#pragma once
/// OCI content descriptors (descriptor.md).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oci/json.hpp"
#include "oci/platform.hpp"

namespace tarsier::oci {

/// The platform object of an index entry (image-index.md): an oci::Platform, so it is
/// formatted and matched by platform.hpp's functions.
using DescriptorPlatform = Platform;

/// A descriptor: what an index, manifest or manifest.json points at.
struct Descriptor {
    std::string media_type;
    std::string digest;                 ///< as written; validated by digest::Digest::parse where used
    std::int64_t size = -1;             ///< -1 when absent
    std::vector<std::string> urls;
    std::map<std::string, std::string> annotations;
    std::optional<std::string> data;    ///< base64, as written
    std::optional<std::string> artifact_type;
    std::optional<DescriptorPlatform> platform;
    std::string pointer;                ///< JSON pointer of this descriptor in its document
};

/// Reads a descriptor at `pointer`. Requires digest; a missing size is kept as -1; a
/// negative size is malformed.
util::Result<Descriptor> parse_descriptor(const JsonValue& v, const std::string& pointer);

}  // namespace tarsier::oci
