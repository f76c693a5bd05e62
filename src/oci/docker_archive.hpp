#pragma once
/// The Docker-specific documents of a `docker save` archive: manifest.json, repositories,
/// and the legacy per-layer `json` of pre-1.10 archives.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oci/descriptor.hpp"

namespace tarsier::oci {

/// One image of manifest.json.
struct DockerManifestEntry {
    std::string config;                  ///< path of the config file in the archive
    std::vector<std::string> repo_tags;  ///< familiar references; empty when null
    std::vector<std::string> layers;     ///< paths of the layer files, base first
    std::string parent;                  ///< image ID of a parent image in the same archive
    std::map<std::string, Descriptor> layer_sources;  ///< diff_id -> original descriptor
    std::string pointer;                 ///< "/0", "/1", ...
};

/// Reads manifest.json: a JSON array of images. The literal `null` and any non-array are
/// malformed ("manifest.json is null").
util::Result<std::vector<DockerManifestEntry>> parse_docker_manifest(const JsonValue& root);

/// Reads `repositories`: {repo: {tag: id}}. Returns (repo, tag, id) triples in file order.
struct RepositoryTag {
    std::string repository, tag, id;
};
util::Result<std::vector<RepositoryTag>> parse_repositories(const JsonValue& root);

/// The legacy v1 `json` of one layer directory.
struct V1Layer {
    std::string id, parent, created, author, comment, architecture, os, docker_version;
    std::vector<std::string> created_by;  ///< container_config.Cmd
    std::string raw_config;               ///< the `config` object as JSON, if any
};
util::Result<V1Layer> parse_v1_layer(const JsonValue& root);

}  // namespace tarsier::oci
