// Pre-1.10 docker save archives: `repositories` names the top layer of each image and
// every layer's `json` names its parent. There is no image config and no diff_id; the
// model gets a config assembled from the top layer's json and a history entry per layer.
#include <algorithm>

#include <fmt/format.h>

#include "image/references.hpp"
#include "image/resolver.hpp"
#include "oci/docker_archive.hpp"

namespace tarsier::image::detail {

using util::ErrorKind;
using util::fail;
using util::Result;

namespace {

/// Quotes a string as a JSON string literal.
std::string json_quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') { out += '\\'; out += static_cast<char>(c); }
        else if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += static_cast<char>(c);
    }
    return out + "\"";
}

}  // namespace

Result<void> resolve_docker_v1(Resolver& r) {
    Archive& ar = r.archive();
    ar.format = ArchiveFormat::docker_v1;
    auto repos_json = r.read_json("repositories");
    if (!repos_json) return fail(repos_json.error().at("repositories"));
    auto repos = oci::parse_repositories(repos_json->doc->doc);
    if (!repos) return fail(repos.error().at("repositories"));

    std::map<std::string, std::size_t> image_by_top;
    for (const auto& rt : *repos) {
        auto found = image_by_top.find(rt.id);
        if (found != image_by_top.end()) {
            ar.images[found->second].references.push_back({familiar_repository(rt.repository), rt.tag});
            continue;
        }
        // Walk the parent chain from the top layer down, then reverse it.
        std::vector<oci::V1Layer> chain;
        std::string id = rt.id;
        std::set<std::string> seen;
        while (!id.empty()) {
            if (!seen.insert(id).second || chain.size() > 1000)
                return fail(ErrorKind::malformed, id + "/json", "parent chain loops");
            auto j = r.read_json(id + "/json");
            if (!j) return fail(j.error().at(id + "/json"));
            if (!j->entry) return fail(ErrorKind::malformed, id + "/json", "layer json named by the parent chain is not in the archive");
            auto l = oci::parse_v1_layer(j->doc->doc);
            if (!l) return fail(l.error().at(id + "/json"));
            if (l->id.empty()) l->id = id;
            std::string parent = l->parent;
            chain.push_back(std::move(*l));
            id = parent;
        }
        std::reverse(chain.begin(), chain.end());
        std::vector<std::size_t> layers;
        std::string history = "[";
        for (std::size_t i = 0; i < chain.size(); ++i) {
            const auto& l = chain[i];
            Layer layer;
            auto e = ar.container->find(l.id + "/layer.tar");
            if (!e) return fail(e.error().at(l.id + "/layer.tar"));
            if (*e) layer.entry = (*e)->name;
            else {
                layer.digest = l.id + "/layer.tar";
                layer.absent_reason = "missing from the archive";
                r.finding("error", "layer-absent", l.id + "/layer.tar", "layer file is not in the archive");
            }
            layers.push_back(r.add_layer(std::move(layer)));
            std::string created_by;
            for (const auto& part : l.created_by) created_by += (created_by.empty() ? "" : " ") + part;
            history += fmt::format("{}{{\"created\":{},\"created_by\":{}}}", i ? "," : "", json_quote(l.created),
                                   json_quote(created_by));
        }
        history += "]";
        const auto& top = chain.back();
        std::string config = fmt::format(
            "{{\"created\":{},\"author\":{},\"architecture\":{},\"os\":{},\"docker_version\":{},\"config\":{},"
            "\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[]}},\"history\":{}}}",
            json_quote(top.created), json_quote(top.author), json_quote(top.architecture.empty() ? "amd64" : top.architecture),
            json_quote(top.os.empty() ? "linux" : top.os), json_quote(top.docker_version),
            top.raw_config.empty() ? "null" : top.raw_config, history);
        auto img = r.make_image(top.id + "/json", config, layers);
        if (!img) return fail(img.error());
        img->id = top.id;
        img->source = "repositories";
        img->references.push_back({familiar_repository(rt.repository), rt.tag});
        image_by_top.emplace(rt.id, ar.images.size());
        ar.images.push_back(std::move(*img));
    }
    // make_image cannot know that v1 images have no diff_ids by design.
    std::erase_if(ar.findings, [](const Finding& f) { return f.code == "layer-count-mismatch"; });
    r.finding("info", "docker-v1", "repositories", "pre-1.10 archive: no image config and no diff_ids to verify");
    return {};
}

}  // namespace tarsier::image::detail
