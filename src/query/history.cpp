#include "query/history.hpp"

#include "oci/config.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"

namespace tarsier::query {

std::vector<HistoryRow> history_rows(const image::Archive& archive, const image::Image& img,
                                     const std::vector<std::optional<std::uint64_t>>& layer_sizes) {
    std::vector<HistoryRow> rows;
    const auto& history = img.config.history;
    std::size_t layer = 0;
    for (const auto& h : history) {
        HistoryRow row;
        row.id = "<missing>";
        auto t = oci::parse_rfc3339(h.created);
        row.created = t ? t->seconds : 0;  // Docker's daemon reports 0 when `created` is absent
        row.created_by = h.created_by;
        row.comment = h.comment;
        if (!h.empty_layer) {
            if (layer < layer_sizes.size()) row.size = layer_sizes[layer].value_or(0);
            ++layer;
        }
        rows.insert(rows.begin(), std::move(row));
    }
    // The top row is the image; below it, each parent image in the archive (Docker fills
    // IDs along the Parent chain, one row each).
    const image::Image* current = &img;
    for (auto& row : rows) {
        row.id = current->id;
        const image::Image* parent = nullptr;
        for (const auto& other : archive.images)
            if (!current->parent.empty() && other.id == current->parent) parent = &other;
        if (!parent) break;
        current = parent;
    }
    return rows;
}

HistoryReport history(const image::Archive& archive, const image::Image& img, const ReadOptions& options) {
    HistoryReport rep;
    auto layers = read_layers(archive, img, options, kHistoryNeeds);
    rep.rows = history_rows(archive, img, layer_sizes(layers));
    rep.findings = notes_of(archive, std::move(layers.findings));
    return rep;
}

}  // namespace tarsier::query
