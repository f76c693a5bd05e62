#include "query/audit.hpp"

#include "query/changes.hpp"
#include "query/content_on_demand.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"

namespace tarsier::query {

util::Result<AuditResult> audit_image(const image::Archive& ar, const image::Image& img, const ReadOptions& read) {
    auto layers = read_layers(ar, img, read, kAuditNeeds);
    auto indexes = layer_indexes(ar, img, layers);
    if (!indexes) return indexes.failure();
    AuditResult out;
    const bool has_config = ar.format != image::ArchiveFormat::bare_layer;
    ContentOnDemand contents(ar, img, read.content_digest, *indexes);
    out.report = audit::audit(layers.ids, *indexes, has_config ? &img.config.config : nullptr, {}, contents.comparator());
    out.findings = notes_of(ar, std::move(layers.findings));
    return out;
}

}  // namespace tarsier::query
