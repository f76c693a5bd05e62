#include "report/layers_view.hpp"

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "report/json_writer.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "report/width.hpp"
#include "util/strings.hpp"
#include "util/plural.hpp"

namespace tarsier::report {

using query::LayerRow;
using query::LayersReport;

namespace {

std::string size_text(const std::optional<std::uint64_t>& v) {
    return v ? human_size(static_cast<double>(*v), 3) : "unknown";
}

std::string ratio_text(const LayerRow& r) {
    if (!r.download || !r.uncompressed || *r.download == 0) return "-";
    return fmt::format("{:.2f}x", static_cast<double>(*r.uncompressed) / static_cast<double>(*r.download));
}

struct Totals {
    std::optional<std::uint64_t> download = 0;
    bool download_estimated = false;
    std::uint64_t uncompressed = 0, content = 0, shared = 0;
    std::size_t shared_layers = 0;
    bool complete = true;  ///< every layer's sizes are known
};

Totals totals_of(const LayersReport& rep) {
    Totals t;
    for (const auto& r : rep.rows) {
        if (r.download && t.download) *t.download += *r.download;
        else t.download.reset();
        t.download_estimated = t.download_estimated || r.download_estimated;
        if (r.uncompressed) t.uncompressed += *r.uncompressed;
        else t.complete = false;
        if (r.content) t.content += *r.content;
        if (!r.shared_with.empty()) {
            ++t.shared_layers;
            t.shared += r.download.value_or(r.uncompressed.value_or(0));
        }
    }
    return t;
}

void put_optional(JsonWriter& w, const char* key, const std::optional<std::uint64_t>& v) {
    w.Key(key);
    if (v) w.Uint64(*v);
    else w.Null();
}

}  // namespace

std::string render_layers_table(const LayersReport& rep, const LayersOptions& o) {
    Table t;
    t.add_row({"#", "DIGEST", "DIFF ID", "COMPRESSION", "DOWNLOAD SIZE", "UNCOMPRESSED SIZE", "RATIO", "CONTENT SIZE",
               "CREATED BY"});
    auto id = [&](const std::string& d) { return d.empty() ? "-" : (o.no_trunc ? d : digest::short_id(d)); };
    for (const auto& r : rep.rows) {
        std::string download = size_text(r.download);
        if (r.download && r.download_estimated) download = "~" + download + " (est.)";
        std::string created_by = util::escape_for_display(r.created_by);
        std::string compression = r.present ? r.compression : "absent";
        if (r.media_type_mismatch) compression += "!";
        t.add_row({std::to_string(r.position), id(r.digest), id(r.diff_id), compression, download, size_text(r.uncompressed),
                   ratio_text(r), size_text(r.content), o.no_trunc ? created_by : ellipsis(created_by, 45)});
    }
    std::string out = t.render();
    Totals tot = totals_of(rep);
    std::string download = tot.download ? human_size(static_cast<double>(*tot.download), 3) : "unknown";
    if (tot.download && tot.download_estimated) download = "~" + download + " (est.)";
    out += fmt::format("\nTotal: {}, download {}, uncompressed {}{}, content {}\n", util::count(rep.rows.size(), "layer"), download,
                       human_size(static_cast<double>(tot.uncompressed), 3), tot.complete ? "" : " (incomplete)",
                       human_size(static_cast<double>(tot.content), 3));
    out += fmt::format("Shared with other images in the archive: {}, {}\n", util::count(tot.shared_layers, "layer"),
                       human_size(static_cast<double>(tot.shared), 3));
    bool mismatch = false, absent = false;
    for (const auto& r : rep.rows) {
        mismatch = mismatch || r.media_type_mismatch;
        absent = absent || !r.present;
    }
    if (mismatch) out += "!: the declared media type disagrees with the detected compression\n";
    if (!tot.download)
        out += "Download size is unknown for layers stored uncompressed by docker save; --estimate-download estimates it.\n";
    for (const auto& r : rep.rows)
        if (!r.present) out += fmt::format("Layer {} is absent: {}\n", r.position, r.absent_reason);
    const auto& platforms = rep.image->platforms;
    if (!platforms.empty()) {
        std::string present, absent;
        std::size_t n_absent = 0;
        for (const auto& p : platforms) {
            std::string& list = p.present ? present : absent;
            list += (list.empty() ? "" : ", ") + (p.platform.empty() ? digest::short_id(p.digest) : p.platform);
            n_absent += p.present ? 0 : 1;
        }
        out += fmt::format("Index {} lists {}; in the archive: {}\n", digest::short_id(rep.image->index_digest),
                           util::count(platforms.size(), "platform"), present.empty() ? "none" : present);
        if (n_absent > 0)
            out += fmt::format("Not in the archive (absent by design, not corrupt): {}\n", absent);
    }
    return out;
}

util::Result<std::string> render_layers_template(const LayersReport& rep, const Template& format) {
    auto doc = template_json(render_layers_json(rep));
    if (!doc) return doc.failure();
    static const TemplateFields kFields{{{"position", "#"},
                                         {"digest", "DIGEST"},
                                         {"diffId", "DIFF ID"},
                                         {"mediaType", "MEDIA TYPE"},
                                         {"present", "PRESENT"},
                                         {"absentReason", "ABSENT REASON"},
                                         {"compression", "COMPRESSION"},
                                         {"mediaTypeMismatch", "MEDIA TYPE MISMATCH"},
                                         {"downloadSize", "DOWNLOAD SIZE"},
                                         {"downloadSizeEstimated", "ESTIMATED"},
                                         {"uncompressedSize", "UNCOMPRESSED SIZE"},
                                         {"contentSize", "CONTENT SIZE"},
                                         {"createdBy", "CREATED BY"},
                                         {"sharedWith", "SHARED WITH"}},
                                        "layer",
                                        true};
    const rapidjson::Value* layers = (*doc)->IsObject() && (*doc)->HasMember("layers") ? &(**doc)["layers"] : nullptr;
    return render_template_rows(format, layers ? template_items(*layers) : std::vector<const rapidjson::Value*>{}, kFields);
}

std::string render_layers_json(const LayersReport& rep) {
    JsonBuffer buf;
    JsonWriter w(buf);
    const image::Image& img = *rep.image;
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("archive");
    put(w, rep.archive);
    w.Key("format");
    put(w, rep.format);
    w.Key("image");
    w.StartObject();
    w.Key("id");
    put(w, img.id);
    put_or_null(w, "manifestDigest", img.manifest_digest);
    w.Key("references");
    w.StartArray();
    for (const auto& r : img.references) put(w, r.str());
    w.EndArray();
    w.Key("platform");
    put(w, img.platform());
    put_or_null(w, "indexDigest", img.index_digest);
    w.Key("indexPlatforms");
    w.StartArray();
    for (const auto& p : img.platforms) {
        w.StartObject();
        put_or_null(w, "platform", p.platform);
        w.Key("digest");
        put(w, p.digest);
        w.Key("present");
        w.Bool(p.present);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    w.Key("layers");
    w.StartArray();
    for (const auto& r : rep.rows) {
        w.StartObject();
        w.Key("position");
        w.Uint64(r.position);
        put_or_null(w, "digest", r.digest);
        put_or_null(w, "diffId", r.diff_id);
        put_or_null(w, "mediaType", r.media_type);
        w.Key("present");
        w.Bool(r.present);
        put_or_null(w, "absentReason", r.absent_reason);
        put_or_null(w, "compression", r.compression);
        w.Key("mediaTypeMismatch");
        w.Bool(r.media_type_mismatch);
        put_optional(w, "downloadSize", r.download);
        w.Key("downloadSizeEstimated");
        w.Bool(r.download_estimated);
        put_optional(w, "uncompressedSize", r.uncompressed);
        put_optional(w, "contentSize", r.content);
        put_or_null(w, "createdBy", r.created_by);
        w.Key("sharedWith");
        w.StartArray();
        for (const auto& s : r.shared_with) put(w, s);
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    Totals t = totals_of(rep);
    w.Key("totals");
    w.StartObject();
    put_optional(w, "downloadSize", t.download);
    w.Key("downloadSizeEstimated");
    w.Bool(t.download_estimated);
    w.Key("uncompressedSize");
    w.Uint64(t.uncompressed);
    w.Key("uncompressedSizeComplete");
    w.Bool(t.complete);
    w.Key("contentSize");
    w.Uint64(t.content);
    w.Key("sharedLayers");
    w.Uint64(t.shared_layers);
    w.Key("sharedSize");
    w.Uint64(t.shared);
    w.EndObject();
    w.EndObject();
    return go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
}

}  // namespace tarsier::report
