#include "oci/descriptor.hpp"

namespace tarsier::oci {

using util::ErrorKind;
using util::fail;
using util::Result;

Result<Descriptor> parse_descriptor(const JsonValue& v, const std::string& pointer) {
    if (auto r = expect_object(v, pointer); !r) return r.failure();
    Descriptor d;
    d.pointer = pointer;
    auto media = opt_string(v, "mediaType", pointer);
    if (!media) return media.failure();
    d.media_type = media->value_or("");
    auto digest = req_string(v, "digest", pointer);
    if (!digest) return digest.failure();
    d.digest = *digest;
    auto size = opt_int(v, "size", pointer);
    if (!size) return size.failure();
    if (*size) {
        if (**size < 0) return fail(ErrorKind::malformed, pointer_join(pointer, "size"), "negative size");
        d.size = **size;
    }
    auto urls = opt_string_array(v, "urls", pointer);
    if (!urls) return urls.failure();
    d.urls = std::move(*urls);
    auto ann = opt_string_map(v, "annotations", pointer);
    if (!ann) return ann.failure();
    d.annotations = std::move(*ann);
    auto data = opt_string(v, "data", pointer);
    if (!data) return data.failure();
    d.data = std::move(*data);
    auto at = opt_string(v, "artifactType", pointer);
    if (!at) return at.failure();
    d.artifact_type = std::move(*at);
    if (const JsonValue* p = member(v, "platform"); p && !p->IsNull()) {
        std::string pp = pointer_join(pointer, "platform");
        if (auto r = expect_object(*p, pp); !r) return r.failure();
        DescriptorPlatform plat;
        auto os = opt_string(*p, "os", pp);
        auto arch = opt_string(*p, "architecture", pp);
        auto variant = opt_string(*p, "variant", pp);
        auto osv = opt_string(*p, "os.version", pp);
        auto feats = opt_string_array(*p, "os.features", pp);
        if (!os) return os.failure();
        if (!arch) return arch.failure();
        if (!variant) return variant.failure();
        if (!osv) return osv.failure();
        if (!feats) return feats.failure();
        plat.os = os->value_or("");
        plat.architecture = arch->value_or("");
        plat.variant = variant->value_or("");
        plat.os_version = osv->value_or("");
        plat.os_features = std::move(*feats);
        d.platform = std::move(plat);
    }
    return d;
}

}  // namespace tarsier::oci
