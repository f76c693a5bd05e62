#include "query/image_layers.hpp"

#include <array>
#include <span>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "io/decompress.hpp"

namespace tarsier::query {

using image::layer_label;
using image::LayerId;

namespace {

/// Whether a blob in a file or folder is stored as a plain tar (docker save's layer.tar):
/// then it is the layer's uncompressed tar, and its digest is the diff_id, which `verify`
/// checks; hashing it again to show it would cost a SHA-256 pass over every layer.
/// A stream's blobs were hashed as they passed, so they are never sniffed.
bool stored_uncompressed(const image::Archive& ar, const image::Layer& layer) {
    if (layer.entry.empty() || ar.container->packaging() == archive::Packaging::tar_stream) return false;
    auto entry = ar.container->find(layer.entry);
    if (!entry || !*entry) return false;
    auto reader = ar.container->open(**entry);
    if (!reader) return false;
    std::array<std::uint8_t, 8> head{};
    std::size_t got = 0;
    while (got < head.size()) {
        auto n = (*reader)->read(std::span(head.data() + got, head.size() - got));
        if (!n || *n == 0) break;
        got += *n;
    }
    return got == head.size() && io::sniff(std::span(head.data(), got)) == io::Compression::none;
}

/// A finding about one layer of `img`, placed as "image sha256:…: layer N (digest)".
image::Finding layer_finding(const image::Archive& ar, const image::Image& img, const LayerId& id,
                             const char* severity, const char* code, std::string message) {
    const auto& layer = ar.layers[img.layers[id.position].layer];
    return {severity, code, fmt::format("image {}: {}", digest::short_digest(img.id), layer_label(id, layer.entry)),
            std::move(message)};
}

std::string what(const util::Error& e) { return e.what.empty() ? e.to_string() : e.what; }

/// Which layers of `img` read_layers hashes: with Needs::digests, those whose blob digest
/// no descriptor gives, except a blob stored as a plain tar, whose digest in `ids` becomes
/// its diff_id (unless Needs::hash_plain).
std::vector<bool> hashed_layers(const image::Archive& ar, const image::Image& img, std::vector<LayerId>& ids, Needs needs) {
    std::vector<bool> out(img.layers.size(), false);
    for (std::size_t i = 0; i < img.layers.size(); ++i) {
        auto& id = ids[i];
        if (needs.digests && !needs.hash_plain && id.digest.empty() && !id.diff_id.empty() &&
            stored_uncompressed(ar, ar.layers[img.layers[i].layer]))
            id.digest = id.diff_id;  // the blob is the tar itself: its digest is the diff_id
        out[i] = needs.digests && id.digest.empty();
    }
    return out;
}

/// The scan read_layers asks of a layer's blob; `hash`: one of hashed_layers.
archive::ScanOptions scan_of(const ReadOptions& options, Needs needs, bool hash) {
    auto scan = layer_scan(options, needs);
    scan.diff_id = needs.verify;
    if (!hash && !needs.verify) scan.raw_digest.reset();
    return scan;
}

}  // namespace

std::vector<archive::ScanOptions> layer_scans(const image::Archive& ar, const image::Image& img, const ReadOptions& options,
                                              Needs needs) {
    auto ids = layer_ids(ar, img);
    auto hash = hashed_layers(ar, img, ids, needs);
    std::vector<archive::ScanOptions> out;
    for (std::size_t i = 0; i < img.layers.size(); ++i) out.push_back(scan_of(options, needs, hash[i]));
    return out;
}

ImageLayers read_layers(const image::Archive& ar, const image::Image& img, const ReadOptions& options, Needs needs) {
    ImageLayers out;
    out.ids = layer_ids(ar, img);
    // A blob whose digest a descriptor gives is not hashed again (a stream's were hashed
    // as it passed, which any later request is satisfied by).
    std::vector<std::size_t> known, unknown;
    auto hashed = hashed_layers(ar, img, out.ids, needs);
    for (std::size_t i = 0; i < img.layers.size(); ++i) (hashed[i] ? unknown : known).push_back(i);
    out.facts.resize(img.layers.size());
    for (bool hash : {false, true}) {
        const auto& positions = hash ? unknown : known;
        if (positions.empty()) continue;
        std::vector<std::size_t> layers;
        for (auto i : positions) layers.push_back(img.layers[i].layer);
        auto got = image::layer_facts(ar, layers, scan_of(options, needs, hash), job_count(options));
        for (std::size_t k = 0; k < positions.size(); ++k) out.facts[positions[k]] = std::move(got[k]);
    }
    for (std::size_t i = 0; i < out.facts.size(); ++i) {
        const auto& f = out.facts[i];
        auto& id = out.ids[i];
        if (f.stats && f.stats->digest && id.digest.empty()) id.digest = *f.stats->digest;
        if (!f.present) {
            // A note: absent layers are often absent by design (foreign layers, platforms not
            // exported); sizes count them 0 and verify says whether that is a fault.
            out.findings.push_back(layer_finding(ar, img, id, "info", "layer-absent",
                                                 "absent: " + ar.layers[img.layers[i].layer].absent_reason));
        } else if (f.error) {
            out.findings.push_back(layer_finding(ar, img, id, "warning", "layer-unreadable", what(*f.error)));
        } else if (f.stats && f.stats->decode_error) {
            out.findings.push_back(layer_finding(ar, img, id, "warning", "layer-unreadable", what(*f.stats->decode_error)));
        }
    }
    return out;
}

util::Result<std::vector<std::shared_ptr<const archive::LayerIndex>>> layer_indexes(const image::Archive& ar,
                                                                                    const image::Image& img,
                                                                                    const ImageLayers& layers) {
    std::vector<std::shared_ptr<const archive::LayerIndex>> out;
    for (std::size_t i = 0; i < layers.facts.size(); ++i) {
        const auto& f = layers.facts[i];
        const auto& layer = ar.layers[img.layers[i].layer];
        std::string where = layer_label(layers.ids[i], layer.entry);
        if (!f.present) return util::fail(util::ErrorKind::malformed, where, "absent: " + layer.absent_reason);
        if (f.error) return util::fail(f.error->at(where));
        if (f.stats->decode_error) return util::fail(f.stats->decode_error->at(where));
        if (!f.stats->index) return util::fail(util::ErrorKind::malformed, where, "no file index");
        out.push_back(f.stats->index);
    }
    return out;
}

std::shared_ptr<const archive::LayerIndex> await_layer_index(const image::Archive& ar, const image::Image& img,
                                                             std::size_t i, const archive::ScanOptions& want) {
    const image::Layer& layer = ar.layers[img.layers[i].layer];
    if (layer.entry.empty()) return nullptr;
    auto entry = ar.container->find(layer.entry);
    if (!entry || !*entry) return nullptr;
    auto stats = ar.container->await_stats(**entry, want);
    if (!stats || stats->decode_error || !stats->index) return nullptr;
    return stats->index;
}

std::vector<std::optional<std::uint64_t>> layer_sizes(const ImageLayers& layers) {
    std::vector<std::optional<std::uint64_t>> out;
    for (const auto& f : layers.facts) {
        if (f.stats && f.stats->is_tar) out.push_back(f.stats->content_size);
        else out.push_back(std::nullopt);
    }
    return out;
}

std::uint64_t image_size(const std::vector<std::optional<std::uint64_t>>& sizes) {
    std::uint64_t total = 0;
    for (const auto& s : sizes) total += s.value_or(0);
    return total;
}

}  // namespace tarsier::query
