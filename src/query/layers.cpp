#include "query/layers.hpp"

#include "oci/media_types.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"

namespace tarsier::query {

Needs layers_needs(const LayersOptions& options) {
    Needs n;
    n.digests = true;
    n.hash_plain = true;  // the command that shows digests hashes what it shows
    n.estimate_gzip = options.estimate_download;
    return n;
}

LayersReport layers(const image::Archive& ar, const image::Image& img, const LayersOptions& options) {
    LayersReport rep;
    rep.archive = ar.container->path();
    rep.format = std::string(image::to_string(ar.format));
    rep.image = &img;
    // Docker-written archives store layers uncompressed; what a registry would send is
    // not in them. OCI layouts store what a registry serves.
    const bool blob_is_download = ar.format == image::ArchiveFormat::oci_layout;
    Needs needs = layers_needs(options);
    needs.estimate_gzip = needs.estimate_gzip && !blob_is_download;
    auto read = read_layers(ar, img, options.read, needs);
    if (needs.estimate_gzip && ar.container->packaging() == archive::Packaging::tar_stream) {
        // A stream is read once: what was not estimated as it passed cannot be now.
        for (const auto& f : read.facts)
            if (f.stats && f.stats->compression == io::Compression::none && !f.stats->gzip_estimate) {
                read.findings.push_back({"info", "no-estimate", "",
                                         "download sizes were not estimated while the stream passed"});
                break;
            }
    }
    for (std::size_t i = 0; i < img.layers.size(); ++i) {
        const auto& il = img.layers[i];
        const auto& layer = ar.layers[il.layer];
        const auto& id = read.ids[i];
        LayerRow row;
        row.position = i;
        row.digest = id.digest;
        row.diff_id = id.diff_id;
        row.created_by = id.created_by;
        row.media_type = layer.media_type;
        row.present = !layer.entry.empty();
        row.absent_reason = layer.absent_reason;
        for (const auto& other : ar.images) {
            if (&other == &img) continue;
            for (const auto& ol : other.layers)
                if (ol.layer == il.layer) {
                    row.shared_with.push_back(other.id);
                    break;
                }
        }
        const auto& f = read.facts[i];
        if (!row.present) {
            if (layer.declared_size >= 0) row.download = static_cast<std::uint64_t>(layer.declared_size);
        } else if (f.stats) {
            const auto& s = *f.stats;
            row.compression = std::string(io::to_string(s.compression));
            if (s.compression != io::Compression::none || blob_is_download) {
                row.download = s.size;
            } else if (s.gzip_estimate) {
                row.download = s.gzip_estimate;
                row.download_estimated = true;
            }
            if (s.uncompressed_size && !s.decode_error) row.uncompressed = s.uncompressed_size;
            if (s.is_tar) row.content = s.content_size;
            auto declared = oci::media::declared_compression(layer.media_type);
            row.media_type_mismatch = !declared.empty() && declared != row.compression;
        } else if (layer.declared_size >= 0) {
            row.download = static_cast<std::uint64_t>(layer.declared_size);
        }
        rep.rows.push_back(std::move(row));
    }
    rep.findings = notes_of(ar, std::move(read.findings));
    return rep;
}

}  // namespace tarsier::query
