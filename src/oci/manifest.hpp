#pragma once
/// Image manifests and image indexes (OCI manifest.md, image-index.md; Docker schema 2).

#include <optional>
#include <string>
#include <vector>

#include "oci/descriptor.hpp"

namespace tarsier::oci {

/// An image manifest.
struct Manifest {
    std::string media_type;  ///< the document's own mediaType ("" when absent)
    std::int64_t schema_version = 0;
    Descriptor config;
    std::vector<Descriptor> layers;
    std::optional<Descriptor> subject;
    std::optional<std::string> artifact_type;
    std::map<std::string, std::string> annotations;
};

/// An image index or manifest list.
struct Index {
    std::string media_type;
    std::int64_t schema_version = 0;
    std::vector<Descriptor> manifests;  ///< `"manifests": null` (Docker 25.0.0-25.0.2) reads as empty
    std::map<std::string, std::string> annotations;
};

/// What a JSON blob holds, judged by its own mediaType, else by its fields.
enum class DocumentKind { manifest, index, schema1, unknown };

/// Classifies a parsed document.
DocumentKind classify(const JsonValue& root);

/// Reads a manifest from a parsed document.
util::Result<Manifest> parse_manifest(const JsonValue& root);
/// Reads an index from a parsed document (also index.json of an image layout).
util::Result<Index> parse_index(const JsonValue& root);

}  // namespace tarsier::oci
