#include "image/resolver.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "image/references.hpp"
#include "oci/media_types.hpp"
#include "util/strings.hpp"

namespace tarsier::image::detail {

using util::ErrorKind;
using util::fail;
using util::Result;

void Resolver::finding(std::string severity, std::string code, std::string where, std::string message) {
    m_archive.findings.push_back({std::move(severity), std::move(code), std::move(where), std::move(message)});
}

void Resolver::not_an_image(const std::string& what, const std::string& digest) { m_not_images[what].insert(digest); }

void Resolver::report_not_images() {
    std::size_t total = 0;
    std::string parts;
    for (const auto& [what, digests] : m_not_images) {
        total += digests.size();
        parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", digests.size(), what);
    }
    if (total == 0) return;
    finding("info", "not-images", "index.json",
            fmt::format("{} {} not listed as {}: {}", total, total == 1 ? "index entry is" : "index entries are",
                        total == 1 ? "an image" : "images", parts));
}

Result<JsonBlob> Resolver::read_json(std::string_view name) {
    JsonBlob b;
    auto e = m_archive.container->find(name);
    if (!e) return e.failure();
    b.entry = *e;
    if (!b.entry) return b;
    auto text = m_archive.container->read_document(*b.entry);
    if (!text) return text.failure();
    b.text = std::move(*text);
    auto doc = oci::parse_json(b.text, b.entry->name);
    if (!doc) return doc.failure();
    b.doc = std::move(*doc);
    return b;
}

Result<const archive::Entry*> Resolver::blob_entry(const std::string& digest) {
    auto d = digest::Digest::parse(digest);
    if (!d) return fail(d.error());
    return m_archive.container->find(digest::blob_path(*d));
}

Result<JsonBlob> Resolver::read_blob_json(const std::string& digest) {
    auto d = digest::Digest::parse(digest);
    if (!d) return fail(d.error());
    return read_json(digest::blob_path(*d));
}

std::size_t Resolver::add_layer(Layer layer) {
    std::string key = layer.entry.empty() ? "absent:" + layer.digest : layer.entry;
    auto it = m_layer_by_key.find(key);
    if (it != m_layer_by_key.end()) {
        Layer& have = m_archive.layers[it->second];
        if (have.media_type.empty()) have.media_type = layer.media_type;
        if (have.digest.empty()) have.digest = layer.digest;
        if (have.declared_size < 0) have.declared_size = layer.declared_size;
        return it->second;
    }
    m_archive.layers.push_back(std::move(layer));
    m_layer_by_key.emplace(key, m_archive.layers.size() - 1);
    return m_archive.layers.size() - 1;
}

Result<Image> Resolver::make_image(const std::string& config_entry, std::string config_text,
                                   const std::vector<std::size_t>& layers) {
    Image img;
    img.config_entry = config_entry;
    img.id = digest::sha256(config_text);
    auto doc = oci::parse_json(config_text, config_entry);
    if (!doc) return doc.failure();
    auto config = oci::parse_config((*doc)->doc);
    if (!config) return fail(config.error().at(config_entry));
    img.config = std::move(*config);
    img.config_text = std::move(config_text);
    const auto& diff_ids = img.config.diff_ids;
    if (diff_ids.size() != layers.size())
        finding("error", "layer-count-mismatch", config_entry,
                fmt::format("the config lists {} diff_ids but the image has {} layers", diff_ids.size(), layers.size()));
    for (std::size_t i = 0; i < layers.size(); ++i)
        img.layers.push_back(ImageLayer{layers[i], i < diff_ids.size() ? diff_ids[i] : std::string(), -1});
    // Each non-empty history entry takes the next layer, base first.
    std::size_t next = 0, non_empty = 0;
    for (std::size_t h = 0; h < img.config.history.size(); ++h) {
        if (img.config.history[h].empty_layer) continue;
        ++non_empty;
        if (next < img.layers.size()) img.layers[next++].history = static_cast<int>(h);
    }
    if (!img.config.history.empty() && non_empty != layers.size())
        finding("warning", "history-layer-mismatch", config_entry,
                fmt::format("the history has {} non-empty entries for {} layers", non_empty, layers.size()));
    return img;
}

namespace {

bool is_attestation(const oci::Descriptor& d) {
    if (d.platform && d.platform->os == "unknown" && d.platform->architecture == "unknown") return true;
    auto it = d.annotations.find("vnd.docker.reference.type");
    return it != d.annotations.end() && it->second == "attestation-manifest";
}

}  // namespace

Result<std::optional<ResolvedManifest>> Resolver::follow(const oci::Descriptor& d, const std::string& where) {
    std::set<std::string> visited;
    return follow_index(d, where, 0, visited);
}

Result<std::optional<ResolvedManifest>> Resolver::follow_index(const oci::Descriptor& d, const std::string& where,
                                                               int depth, std::set<std::string>& visited) {
    using Out = std::optional<ResolvedManifest>;
    if (depth > 8) return fail(ErrorKind::malformed, where, "indexes nested deeper than 8 levels");
    if (!visited.insert(d.digest).second) return fail(ErrorKind::malformed, where, "index refers to itself (a cycle)");
    if (!d.media_type.empty() && !oci::media::is_index(d.media_type) && !oci::media::is_manifest(d.media_type)) {
        // The declared type decides (image-spec media-types.md); an unknown one is no image.
        finding("info", "not-an-image", where, fmt::format("{} has media type {}, not a manifest or index", d.digest, d.media_type));
        not_an_image(fmt::format("descriptor(s) of media type {}", d.media_type), d.digest);
        return Out{};
    }
    auto blob = read_blob_json(d.digest);
    if (!blob) return fail(blob.error().at(where));
    if (!blob->entry) {
        finding("info", "blob-absent", where, fmt::format("{} ({}) is not in the archive", d.digest, d.media_type));
        return Out{};
    }
    const auto& root = blob->doc->doc;
    auto kind = oci::classify(root);
    if (kind == oci::DocumentKind::manifest) {
        auto m = oci::parse_manifest(root);
        if (!m) return fail(m.error().at(blob->entry->name));
        ResolvedManifest rm;
        rm.digest = d.digest;
        rm.manifest = std::move(*m);
        return Out(std::move(rm));
    }
    if (kind != oci::DocumentKind::index) {
        finding("warning", "unsupported-manifest", where,
                fmt::format("{} is neither an image manifest nor an index{}", d.digest,
                            kind == oci::DocumentKind::schema1 ? " (Docker schema 1 is not supported)" : ""));
        return Out{};
    }
    auto index = oci::parse_index(root);
    if (!index) return fail(index.error().at(blob->entry->name));

    struct Candidate {
        ResolvedManifest rm;
        std::optional<oci::Platform> platform;
    };
    std::vector<Candidate> present;
    std::vector<PlatformEntry> platforms;
    for (std::size_t i = 0; i < index->manifests.size(); ++i) {
        const auto& child = index->manifests[i];
        if (is_attestation(child)) {
            not_an_image("attestation manifest(s) (platform unknown/unknown)", child.digest);
            continue;
        }
        std::string child_where = fmt::format("{} manifests/{}", d.digest, i);
        std::string plat = child.platform ? child.platform->to_string_all() : "";
        auto e = blob_entry(child.digest);
        if (!e) return fail(e.error().at(child_where));
        if (!*e) {
            platforms.push_back({plat, child.digest, false});
            continue;
        }
        auto sub = follow_index(child, child_where, depth + 1, visited);
        if (!sub) return sub.failure();
        if (!*sub) {
            platforms.push_back({plat, child.digest, false});
            continue;
        }
        platforms.push_back({plat, child.digest, true});
        present.push_back({std::move(**sub), child.platform});
    }
    if (present.empty()) {
        finding("warning", "no-platform-present", where,
                fmt::format("none of the {} platforms of index {} is in the archive", platforms.size(), d.digest));
        return Out{};
    }
    const Candidate* chosen = nullptr;
    for (const auto& c : present) {
        if (c.platform && oci::matches(m_want, *c.platform)) {
            chosen = &c;
            break;
        }
    }
    if (!chosen) {
        if (m_options.platform_explicit) {
            std::string have;
            for (const auto& pe : platforms)
                if (pe.present) have += (have.empty() ? "" : ", ") + pe.platform;
            bool listed = false;
            for (const auto& child : index->manifests)
                if (!is_attestation(child) && child.platform && oci::matches(m_want, *child.platform)) listed = true;
            return fail(ErrorKind::usage, where,
                        fmt::format("platform {} is {}; platforms present: {}", m_want.to_string_all(),
                                    listed ? "listed in the index but its blobs are not in the archive"
                                           : "not in the index",
                                    have));
        }
        chosen = &present.front();
    }
    ResolvedManifest out = chosen->rm;
    if (out.index_digest.empty()) {
        out.index_digest = d.digest;
        out.platforms = platforms;
    }
    return Out(std::move(out));
}

Result<std::optional<Image>> Resolver::image_from_manifest(const ResolvedManifest& rm, const std::string& where) {
    using Out = std::optional<Image>;
    const auto& m = rm.manifest;
    bool filesystem = std::all_of(m.layers.begin(), m.layers.end(),
                                  [](const oci::Descriptor& l) { return oci::media::is_filesystem_layer(l.media_type); });
    if (!oci::media::is_image_config(m.config.media_type) || !filesystem) {
        finding("info", "artifact", where,
                fmt::format("{} is an artifact (config {}), not a runnable image", rm.digest, m.config.media_type));
        not_an_image(oci::media::is_image_config(m.config.media_type)
                         ? std::string("artifact(s) whose layers are not filesystem layers")
                         : fmt::format("artifact(s) with config {}", m.config.media_type),
                     rm.digest);
        return Out{};
    }
    auto config_entry = blob_entry(m.config.digest);
    if (!config_entry) {
        finding("error", "config-path-invalid", where + " config", config_entry.error().to_string());
        return Out{};
    }
    if (!*config_entry) {
        finding("warning", "config-absent", where, fmt::format("config {} is not in the archive", m.config.digest));
        return Out{};
    }
    auto text = m_archive.container->read_document(**config_entry);
    if (!text) return text.failure();
    std::vector<std::size_t> layers;
    for (std::size_t i = 0; i < m.layers.size(); ++i) {
        const auto& ld = m.layers[i];
        Layer l;
        l.digest = ld.digest;
        l.media_type = ld.media_type;
        l.declared_size = ld.size;
        l.urls = ld.urls;
        auto e = blob_entry(ld.digest);
        if (!e) {
            // A blob path that leaves the archive or a link loop: reported, never followed.
            auto lwhere = fmt::format("{} layer {}", where, i);
            finding("error", "layer-path-invalid", lwhere, e.error().to_string());
            l.absent_reason = "its path is invalid: " + e.error().what;
        } else if (*e) {
            l.entry = (*e)->name;
        } else {
            l.absent_reason = oci::media::is_foreign_layer(ld.media_type) ? "non-distributable layer, not in the archive by design"
                                                                          : "missing from the archive";
            if (!oci::media::is_foreign_layer(ld.media_type))
                finding("error", "layer-absent", fmt::format("{} layer {}", where, i),
                        fmt::format("layer blob {} is not in the archive", ld.digest));
        }
        layers.push_back(add_layer(std::move(l)));
    }
    auto img = make_image((*config_entry)->name, std::move(*text), layers);
    if (!img) return img.failure();
    if (img->id != m.config.digest && digest::Digest::parse(m.config.digest) &&
        digest::Digest::parse(m.config.digest)->algorithm == "sha256")
        finding("error", "config-digest-mismatch", where,
                fmt::format("config {} hashes to {}", m.config.digest, img->id));
    img->manifest_digest = rm.digest;
    img->index_digest = rm.index_digest;
    img->platforms = rm.platforms;
    return Out(std::move(*img));
}

}  // namespace tarsier::image::detail
