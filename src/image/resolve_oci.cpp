// OCI image layouts (directory or tar) without manifest.json: every index.json entry is
// followed, through nested indexes, to the manifest of the requested platform.
#include <fmt/format.h>

#include "image/references.hpp"
#include "image/resolver.hpp"
#include "util/strings.hpp"

namespace tarsier::image::detail {

using util::ErrorKind;
using util::fail;
using util::Result;

namespace {

/// " (name)" from the entry's io.containerd.image.name or ref.name annotation, or "".
std::string entry_name(const oci::Descriptor& d) {
    for (const char* key : {"io.containerd.image.name", "org.opencontainers.image.ref.name"})
        if (auto it = d.annotations.find(key); it != d.annotations.end() && !it->second.empty())
            return " (" + util::escape_for_display(it->second) + ")";
    return "";
}

}  // namespace

Result<void> resolve_oci_layout(Resolver& r) {
    Archive& ar = r.archive();
    ar.format = ArchiveFormat::oci_layout;
    auto layout = r.read_json("oci-layout");
    if (!layout) return fail(layout.error().at("oci-layout"));
    if (!layout->entry) r.finding("warning", "oci-layout-missing", "oci-layout", "the image layout has no oci-layout file");
    auto ij = r.read_json("index.json");
    if (!ij) return fail(ij.error().at("index.json"));
    auto index = oci::parse_index(ij->doc->doc);
    if (!index) return fail(index.error().at("index.json"));

    std::optional<util::Error> platform_error;
    for (std::size_t i = 0; i < index->manifests.size(); ++i) {
        const auto& d = index->manifests[i];
        std::string where = fmt::format("index.json/manifests/{}", i);
        auto rm = r.follow(d, where);
        if (!rm) {
            // With --platform, entries that lack the platform are left out; it is an error
            // only when no entry has it, and selecting one of them names it.
            if (rm.error().kind != ErrorKind::usage) return fail(rm.error());
            PlatformAbsent absent;
            absent.where = where + entry_name(d);
            if (auto ref = descriptor_reference(d)) absent.references.push_back(*ref);
            absent.digest = d.digest;
            absent.message = rm.error().what;
            if (!platform_error) platform_error = util::make_error(ErrorKind::usage, absent.where, absent.message);
            ar.platform_absent.push_back(std::move(absent));
            continue;
        }
        if (!*rm) continue;
        auto ref = descriptor_reference(d);
        // The same manifest under several names is one image with several references.
        Image* same = nullptr;
        for (auto& img : ar.images)
            if (img.manifest_digest == (*rm)->digest && img.index_digest == (*rm)->index_digest) same = &img;
        if (!same) {
            auto img = r.image_from_manifest(**rm, where);
            if (!img) return fail(img.error());
            if (!*img) continue;
            (*img)->source = where;
            (*img)->descriptor = d;
            ar.images.push_back(std::move(**img));
            same = &ar.images.back();
        }
        if (ref) {
            same->references.push_back(*ref);
            auto it = d.annotations.find("io.containerd.image.name");
            if (it != d.annotations.end()) same->repo_digests.push_back(ref->repository + "@" + d.digest);
        }
    }
    if (ar.images.empty() && platform_error) return fail(*platform_error);
    return {};
}

}  // namespace tarsier::image::detail
