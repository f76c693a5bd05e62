// tarsier layers ARCHIVE [IMAGE]: per-layer download, uncompressed and content sizes.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "image/facts.hpp"
#include "image/select.hpp"
#include "oci/media_types.hpp"
#include "report/layers_view.hpp"

namespace tarsier::cli {

namespace {

report::LayersReport build_report(const image::Archive& ar, const image::Image& img, const GlobalOptions& g,
                                  bool estimate) {
    report::LayersReport rep;
    rep.archive = ar.container->path();
    rep.format = std::string(image::to_string(ar.format));
    rep.image = &img;
    // Docker-written archives store layers uncompressed; what a registry would send is
    // not in them. OCI layouts store what a registry serves.
    const bool blob_is_download = ar.format == image::ArchiveFormat::oci_layout;
    // Blobs whose digest no descriptor or blobs/ path gives (docker save's layer.tar,
    // kaniko's <hex>.tar.gz) are hashed; the others only walked.
    std::vector<std::size_t> known, unknown;
    for (std::size_t i = 0; i < img.layers.size(); ++i)
        (ar.layers[img.layers[i].layer].digest.empty() ? unknown : known).push_back(i);
    std::vector<image::LayerFacts> facts(img.layers.size());
    for (bool hash : {false, true}) {
        const auto& positions = hash ? unknown : known;
        std::vector<std::size_t> layers;
        for (auto i : positions) layers.push_back(img.layers[i].layer);
        archive::ScanOptions scan;
        scan.walk_tar = true;
        if (hash) scan.raw_digest = digest::Algorithm::sha256;
        scan.estimate_gzip = estimate && !blob_is_download;
        auto got = image::layer_facts(ar, layers, scan, job_count(g));
        for (std::size_t k = 0; k < positions.size(); ++k) facts[positions[k]] = std::move(got[k]);
    }
    for (std::size_t i = 0; i < img.layers.size(); ++i) {
        const auto& il = img.layers[i];
        const auto& layer = ar.layers[il.layer];
        report::LayerRow row;
        row.position = i;
        row.digest = layer.digest;
        row.diff_id = il.diff_id;
        row.media_type = layer.media_type;
        row.present = !layer.entry.empty();
        row.absent_reason = layer.absent_reason;
        if (il.history >= 0) row.created_by = img.config.history[static_cast<std::size_t>(il.history)].created_by;
        for (const auto& other : ar.images) {
            if (&other == &img) continue;
            for (const auto& ol : other.layers)
                if (ol.layer == il.layer) {
                    row.shared_with.push_back(other.id);
                    break;
                }
        }
        const auto& f = facts[i];
        if (!row.present) {
            if (layer.declared_size >= 0) row.download = static_cast<std::uint64_t>(layer.declared_size);
        } else if (f.stats) {
            const auto& s = *f.stats;
            row.compression = std::string(io::to_string(s.compression));
            if (row.digest.empty() && s.digest) row.digest = *s.digest;
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
            if (s.decode_error) print_warning(layer_message(ar, img, i, *s.decode_error));
        } else if (f.error) {
            print_warning(layer_message(ar, img, i, *f.error));
        }
        rep.rows.push_back(std::move(row));
    }
    return rep;
}

}  // namespace

void add_layers(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, image, format;
        bool no_trunc = false, estimate = false;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("layers", "Show each layer's digests and download, uncompressed and content sizes");
    sub->add_option("ARCHIVE", o->archive, "image archive, OCI layout directory, or - for standard input")->required();
    sub->add_option("IMAGE", o->image, "reference, ID prefix or @N (needed when the archive holds several images)");
    sub->add_flag("--no-trunc", o->no_trunc, "show full digests and CREATED BY");
    sub->add_flag("--estimate-download", o->estimate,
                  "estimate the gzip -6 size of layers stored uncompressed (docker save)");
    sub->add_option("--format", o->format, "'table' (default) or 'json'")->check(CLI::IsMember({"table", "json"}));
    add_global_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto sel = open_image(o->archive, o->image, g);
            if (!sel) return fail_with(sel.error());
            auto rep = build_report(sel->archive, *sel->image, g, o->estimate);
            report::LayersOptions lo;
            lo.no_trunc = o->no_trunc;
            write_out(o->format == "json" ? report::render_layers_json(rep) : report::render_layers_table(rep, lo));
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
