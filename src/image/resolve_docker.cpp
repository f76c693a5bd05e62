// Archives with manifest.json: docker save (legacy and >= 25), the containerd exporter,
// and docker-archive files written by other tools. manifest.json is the authoritative
// list of images; index.json, when present, adds manifest digests, descriptors and the
// other platforms of a multi-platform index.
#include <algorithm>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "image/references.hpp"
#include "image/resolver.hpp"
#include "oci/docker_archive.hpp"
#include "oci/media_types.hpp"
#include "util/strings.hpp"

namespace tarsier::image::detail {

using util::ErrorKind;
using util::fail;
using util::Result;

namespace {

/// A manifest reachable from index.json, with the top-level descriptor that leads to it.
struct Reachable {
    std::string digest;
    oci::Manifest manifest;
    const oci::Descriptor* top = nullptr;
    std::string index_digest;
    std::vector<PlatformEntry> platforms;
};

Result<void> collect(Resolver& r, const oci::Descriptor& d, const oci::Descriptor* top, int depth,
                     std::set<std::string>& visited, std::vector<Reachable>& out) {
    if (depth > 8 || !visited.insert(d.digest).second) return {};
    auto blob = r.read_blob_json(d.digest);
    if (!blob) return fail(blob.error().at("index.json"));
    if (!blob->entry) return {};
    const auto& root = blob->doc->doc;
    auto kind = oci::classify(root);
    if (kind == oci::DocumentKind::manifest) {
        auto m = oci::parse_manifest(root);
        if (!m) return fail(m.error().at(blob->entry->name));
        out.push_back({d.digest, std::move(*m), top, {}, {}});
        return {};
    }
    if (kind != oci::DocumentKind::index) return {};
    auto index = oci::parse_index(root);
    if (!index) return fail(index.error().at(blob->entry->name));
    std::vector<PlatformEntry> platforms;
    std::size_t first = out.size();
    for (const auto& child : index->manifests) {
        if (child.platform && child.platform->os == "unknown") {  // attestations
            r.not_an_image("attestation manifest(s) (platform unknown/unknown)", child.digest);
            continue;
        }
        std::size_t before = out.size();
        auto c = collect(r, child, top, depth + 1, visited, out);
        if (!c) return c;
        platforms.push_back({child.platform ? child.platform->to_string_all() : "", child.digest, out.size() > before});
    }
    for (std::size_t i = first; i < out.size(); ++i) {
        if (out[i].index_digest.empty()) {
            out[i].index_digest = d.digest;
            out[i].platforms = platforms;
        }
    }
    return {};
}

bool looks_legacy(const oci::DockerManifestEntry& e) {
    for (const auto& l : e.layers)
        if (!l.ends_with("/layer.tar")) return false;
    return !e.layers.empty();
}

/// With an explicit --platform, keeps only the images of that platform; none is a usage
/// error that lists the platforms present (and those listed but absent).
Result<void> keep_platform(Resolver& r) {
    Archive& ar = r.archive();
    const oci::Platform& want = r.want();
    std::vector<Image> kept;
    std::set<std::string> present;
    bool listed = false;  // in an index, with its blobs absent
    for (auto& img : ar.images) {
        present.insert(img.platform());
        for (const auto& pe : img.platforms) {
            if (pe.present || pe.platform.empty()) continue;
            auto p = oci::Platform::parse(pe.platform);  // to_string_all() parses back
            listed = listed || (p && oci::matches(want, *p));
        }
        if (oci::matches(want, img.platform_of())) kept.push_back(std::move(img));
    }
    if (kept.empty()) {
        std::string have;
        for (const auto& p : present) have += (have.empty() ? "" : ", ") + p;
        return fail(ErrorKind::usage, "",
                    fmt::format("platform {} is {}; platforms present: {}", want.to_string_all(),
                                listed ? "listed in the index but its blobs are not in the archive" : "not in the archive",
                                have));
    }
    ar.images = std::move(kept);
    return {};
}

}  // namespace

Result<void> resolve_docker_archive(Resolver& r) {
    Archive& ar = r.archive();
    auto mj = r.read_json("manifest.json");
    if (!mj) return fail(mj.error().at("manifest.json"));
    auto entries = oci::parse_docker_manifest(mj->doc->doc);
    if (!entries) return fail(entries.error().at("manifest.json"));
    if (entries->empty()) return fail(ErrorKind::malformed, "manifest.json", "lists no images");

    // What index.json says, when there is one.
    std::unique_ptr<oci::Index> index;
    std::vector<Reachable> reachable;
    bool index_has_media_type = false;
    auto ij = r.read_json("index.json");
    if (!ij) return fail(ij.error().at("index.json"));
    if (ij->entry) {
        auto x = oci::parse_index(ij->doc->doc);
        if (!x) return fail(x.error().at("index.json"));
        index = std::make_unique<oci::Index>(std::move(*x));
        index_has_media_type = !index->media_type.empty();
        for (const auto& d : index->manifests) {
            std::set<std::string> seen_here;  // the same digest under several refs is fine
            auto c = collect(r, d, &d, 0, seen_here, reachable);
            if (!c) return c;
        }
    }
    bool has_repositories = ar.container->find("repositories").ok() && *ar.container->find("repositories");
    bool all_legacy = true;
    for (const auto& e : *entries) all_legacy = all_legacy && looks_legacy(e);
    if (index) ar.format = (!has_repositories && !index_has_media_type) ? ArchiveFormat::containerd_export : ArchiveFormat::docker_oci;
    else ar.format = all_legacy ? ArchiveFormat::docker_legacy : ArchiveFormat::docker_archive;

    std::set<std::string> matched;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const auto& me = (*entries)[i];
        std::string where = "manifest.json" + me.pointer;
        auto cfg = ar.container->find(me.config);
        if (!cfg) return fail(cfg.error().at(where + "/Config"));
        if (!*cfg) return fail(ErrorKind::malformed, where + "/Config", fmt::format("config '{}' is not in the archive", me.config));
        auto text = ar.container->read_document(**cfg);
        if (!text) return text.failure();
        std::string config_digest = digest::sha256(*text);

        // The OCI manifest for this image, if index.json leads to one with this config.
        const Reachable* match = nullptr;
        for (const auto& rm : reachable)
            if (rm.manifest.config.digest == config_digest) { match = &rm; break; }

        std::vector<std::size_t> layers;
        std::vector<std::string> diff_ids;
        {
            auto doc = oci::parse_json(*text, (*cfg)->name);
            if (doc) {
                if (auto c = oci::parse_config((*doc)->doc); c) diff_ids = c->diff_ids;
            }
        }
        for (std::size_t j = 0; j < me.layers.size(); ++j) {
            std::string lwhere = fmt::format("{}/Layers/{}", where, j);
            auto le = ar.container->find(me.layers[j]);
            Layer l;
            if (!le) {
                // A path that leaves the archive or a link loop: reported, never followed.
                r.finding("error", "layer-path-invalid", lwhere, le.error().to_string());
                l.digest = me.layers[j];
                l.absent_reason = "its path is invalid: " + le.error().what;
                layers.push_back(r.add_layer(std::move(l)));
                continue;
            }
            const oci::Descriptor* source = nullptr;
            if (j < diff_ids.size()) {
                auto it = me.layer_sources.find(diff_ids[j]);
                if (it != me.layer_sources.end()) source = &it->second;
            }
            if (*le) {
                l.entry = (*le)->name;
                if (auto named = digest::parse_blob_path(l.entry)) l.digest = named->str();
            }
            if (match && j < match->manifest.layers.size() &&
                (l.digest.empty() || match->manifest.layers[j].digest == l.digest)) {
                const auto& md = match->manifest.layers[j];
                l.media_type = md.media_type;
                l.declared_size = md.size;
                l.urls = md.urls;
                if (l.digest.empty()) l.digest = md.digest;
            } else if (source && (source->digest == l.digest || (l.digest.empty() && source->digest == diff_ids[j]))) {
                // LayerSources describes the stored file only when its digest is the file's
                // (Docker >= 25) or the layer is stored uncompressed; otherwise it names the
                // registry's compressed blob, which is not in the archive.
                l.media_type = source->media_type;
                l.declared_size = source->size;
                l.urls = source->urls;
            }
            if (!*le) {
                bool foreign = source && oci::media::is_foreign_layer(source->media_type);
                if (source) {
                    l.digest = source->digest;
                    l.media_type = source->media_type;
                    l.urls = source->urls;
                }
                if (l.digest.empty()) l.digest = me.layers[j];
                l.absent_reason = foreign ? "foreign layer, not in the archive by design" : "missing from the archive";
                if (!foreign)
                    r.finding("error", "layer-absent", lwhere, fmt::format("layer file '{}' is not in the archive", me.layers[j]));
            }
            layers.push_back(r.add_layer(std::move(l)));
        }
        auto img = r.make_image((*cfg)->name, std::move(*text), layers);
        if (!img) return fail(img.error());
        img->source = where;
        img->parent = me.parent;
        for (const auto& tag : me.repo_tags) {
            RepoTag rt = split_reference(tag);
            if (rt.tag.empty()) {
                // ggcr and skopeo read a missing tag as "latest" (and write `repositories` so).
                rt.tag = "latest";
                r.finding("warning", "reference-without-tag", where,
                          fmt::format("RepoTags entry '{}' has no tag; read as '{}:latest'", tag, tag));
            }
            img->references.push_back(std::move(rt));
        }
        if (match) {
            matched.insert(match->digest);
            img->manifest_digest = match->digest;
            img->index_digest = match->index_digest;
            img->platforms = match->platforms;
            if (match->top) img->descriptor = *match->top;
            for (const auto& rm : reachable) {
                if (rm.digest != match->digest || !rm.top) continue;
                auto it = rm.top->annotations.find("io.containerd.image.name");
                if (it == rm.top->annotations.end()) continue;
                std::string repo = split_reference(it->second).repository;
                std::string rd = repo + "@" + rm.top->digest;
                if (std::find(img->repo_digests.begin(), img->repo_digests.end(), rd) == img->repo_digests.end())
                    img->repo_digests.push_back(rd);
            }
        } else if (index) {
            r.finding("warning", "not-in-index", where, "index.json has no manifest for this image");
        }
        ar.images.push_back(std::move(*img));
    }
    for (const auto& rm : reachable)
        if (!matched.count(rm.digest)) r.not_an_image("manifest(s) that manifest.json does not list", rm.digest);
    if (r.options().platform_explicit) return keep_platform(r);
    return {};
}

}  // namespace tarsier::image::detail
