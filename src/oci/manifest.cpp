#include "oci/manifest.hpp"

#include "oci/media_types.hpp"

namespace tarsier::oci {

using util::ErrorKind;
using util::fail;
using util::Result;

DocumentKind classify(const JsonValue& root) {
    if (!root.IsObject()) return DocumentKind::unknown;
    if (const JsonValue* m = member(root, "mediaType"); m && m->IsString()) {
        std::string_view mt(m->GetString(), m->GetStringLength());
        if (media::is_index(mt)) return DocumentKind::index;
        if (media::is_manifest(mt)) return DocumentKind::manifest;
        if (mt.find("manifest.v1+") != std::string_view::npos) return DocumentKind::schema1;
    }
    if (member(root, "manifests")) return DocumentKind::index;
    if (member(root, "config") || member(root, "layers")) return DocumentKind::manifest;
    if (member(root, "fsLayers")) return DocumentKind::schema1;
    return DocumentKind::unknown;
}

namespace {

Result<std::vector<Descriptor>> descriptor_array(const JsonValue& root, std::string_view key, bool required) {
    std::vector<Descriptor> out;
    const JsonValue* v = member(root, key);
    std::string p = pointer_join("", key);
    if (!v) {
        if (required) return fail(ErrorKind::malformed, p, "required field is missing");
        return out;
    }
    if (v->IsNull()) return out;
    if (!v->IsArray()) return fail(ErrorKind::malformed, p, "expected an array");
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
        auto d = parse_descriptor((*v)[i], pointer_join(p, i));
        if (!d) return d.failure();
        out.push_back(std::move(*d));
    }
    return out;
}

}  // namespace

Result<Manifest> parse_manifest(const JsonValue& root) {
    if (auto r = expect_object(root, ""); !r) return r.failure();
    Manifest m;
    auto mt = opt_string(root, "mediaType", "");
    if (!mt) return mt.failure();
    m.media_type = mt->value_or("");
    auto sv = opt_int(root, "schemaVersion", "");
    if (!sv) return sv.failure();
    m.schema_version = sv->value_or(0);
    const JsonValue* config = member(root, "config");
    if (!config) return fail(ErrorKind::malformed, "/config", "required field is missing");
    auto c = parse_descriptor(*config, "/config");
    if (!c) return c.failure();
    m.config = std::move(*c);
    auto layers = descriptor_array(root, "layers", false);
    if (!layers) return layers.failure();
    m.layers = std::move(*layers);
    if (const JsonValue* s = member(root, "subject"); s && !s->IsNull()) {
        auto d = parse_descriptor(*s, "/subject");
        if (!d) return d.failure();
        m.subject = std::move(*d);
    }
    auto at = opt_string(root, "artifactType", "");
    if (!at) return at.failure();
    m.artifact_type = std::move(*at);
    auto ann = opt_string_map(root, "annotations", "");
    if (!ann) return ann.failure();
    m.annotations = std::move(*ann);
    return m;
}

Result<Index> parse_index(const JsonValue& root) {
    if (auto r = expect_object(root, ""); !r) return r.failure();
    Index x;
    auto mt = opt_string(root, "mediaType", "");
    if (!mt) return mt.failure();
    x.media_type = mt->value_or("");
    auto sv = opt_int(root, "schemaVersion", "");
    if (!sv) return sv.failure();
    x.schema_version = sv->value_or(0);
    auto manifests = descriptor_array(root, "manifests", true);
    if (!manifests) return manifests.failure();
    x.manifests = std::move(*manifests);
    auto ann = opt_string_map(root, "annotations", "");
    if (!ann) return ann.failure();
    x.annotations = std::move(*ann);
    return x;
}

}  // namespace tarsier::oci
