#pragma once
// A docker-save archive built in memory from layer tars, for tests of the queries.

#include <string>
#include <vector>

#include "tar_builder.hpp"

#include "digest/digest.hpp"

namespace tarsier::test {

/// A docker-save archive of `layers` (each a layer tar, stored as it is, or gzip-compressed
/// with `gzip_layers`), with one history entry per layer, tagged `tag`.
inline std::string docker_save(const std::vector<std::string>& layers, const std::string& tag = "test/pkgs:1",
                               bool gzip_layers = false) {
    std::string diff_ids, history, names;
    TarBuilder outer;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        std::string name = "layer" + std::to_string(i) + (gzip_layers ? ".tar.gz" : ".tar");
        outer.file(name, gzip_layers ? gzip(layers[i]) : layers[i]);
        diff_ids += (i ? "," : "") + std::string("\"") + digest::sha256(layers[i]) + "\"";
        history += (i ? "," : "") + std::string("{\"created_by\":\"RUN step ") + std::to_string(i) + "\"}";
        names += (i ? "," : "") + std::string("\"") + name + "\"";
    }
    std::string config = R"({"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[)" +
                         diff_ids + "]},\"history\":[" + history + "]}";
    std::string config_name = digest::sha256(config).substr(7) + ".json";
    outer.file(config_name, config);
    outer.file("manifest.json", "[{\"Config\":\"" + config_name + "\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":[" + names + "]}]");
    return outer.finish();
}

}  // namespace tarsier::test
