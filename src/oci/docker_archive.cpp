#include "oci/docker_archive.hpp"

namespace tarsier::oci {

using util::ErrorKind;
using util::fail;
using util::Result;

Result<std::vector<DockerManifestEntry>> parse_docker_manifest(const JsonValue& root) {
    if (root.IsNull()) return fail(ErrorKind::malformed, "", "is null: it lists no images");
    if (!root.IsArray()) return fail(ErrorKind::malformed, "/", "expected an array of images");
    std::vector<DockerManifestEntry> out;
    for (rapidjson::SizeType i = 0; i < root.Size(); ++i) {
        std::string p = pointer_join("", i);
        const JsonValue& v = root[i];
        if (auto r = expect_object(v, p); !r) return r.failure();
        DockerManifestEntry e;
        e.pointer = p;
        auto config = req_string(v, "Config", p);
        if (!config) return config.failure();
        e.config = *config;
        auto tags = opt_string_array(v, "RepoTags", p);
        if (!tags) return tags.failure();
        e.repo_tags = std::move(*tags);
        auto layers = opt_string_array(v, "Layers", p);
        if (!layers) return layers.failure();
        e.layers = std::move(*layers);
        auto parent = opt_string(v, "Parent", p);
        if (!parent) return parent.failure();
        e.parent = parent->value_or("");
        if (const JsonValue* ls = member(v, "LayerSources"); ls && !ls->IsNull()) {
            std::string lp = pointer_join(p, "LayerSources");
            if (auto r = expect_object(*ls, lp); !r) return r.failure();
            for (auto it = ls->MemberBegin(); it != ls->MemberEnd(); ++it) {
                std::string key(it->name.GetString(), it->name.GetStringLength());
                auto d = parse_descriptor(it->value, pointer_join(lp, key));
                if (!d) return d.failure();
                e.layer_sources[key] = std::move(*d);
            }
        }
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<RepositoryTag>> parse_repositories(const JsonValue& root) {
    if (auto r = expect_object(root, ""); !r) return r.failure();
    std::vector<RepositoryTag> out;
    for (auto it = root.MemberBegin(); it != root.MemberEnd(); ++it) {
        std::string repo(it->name.GetString(), it->name.GetStringLength());
        std::string p = pointer_join("", repo);
        if (auto r = expect_object(it->value, p); !r) return r.failure();
        for (auto t = it->value.MemberBegin(); t != it->value.MemberEnd(); ++t) {
            std::string tag(t->name.GetString(), t->name.GetStringLength());
            if (!t->value.IsString()) return fail(ErrorKind::malformed, pointer_join(p, tag), "expected a string");
            out.push_back({repo, tag, std::string(t->value.GetString(), t->value.GetStringLength())});
        }
    }
    return out;
}

Result<V1Layer> parse_v1_layer(const JsonValue& root) {
    if (auto r = expect_object(root, ""); !r) return r.failure();
    V1Layer l;
    for (auto [key, out] : {std::pair{"id", &l.id}, {"parent", &l.parent}, {"created", &l.created},
                            {"author", &l.author}, {"comment", &l.comment}, {"architecture", &l.architecture},
                            {"os", &l.os}, {"docker_version", &l.docker_version}}) {
        auto v = opt_string(root, key, "");
        if (!v) return v.failure();
        *out = v->value_or("");
    }
    if (const JsonValue* cc = member(root, "container_config"); cc && cc->IsObject()) {
        auto cmd = opt_string_array(*cc, "Cmd", "/container_config");
        if (!cmd) return cmd.failure();
        l.created_by = std::move(*cmd);
    }
    if (const JsonValue* c = member(root, "config"); c && c->IsObject()) l.raw_config = to_json(*c);
    return l;
}

}  // namespace tarsier::oci
