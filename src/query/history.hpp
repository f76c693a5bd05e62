#pragma once
/// `tarsier history`: `docker image history` rows for an image of an archive.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/model.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// One row, newest first, as Docker's daemon builds them.
struct HistoryRow {
    std::string id;          ///< image ID for the top row (and parents in the archive), else "<missing>"
    std::int64_t created;    ///< Unix seconds (0 when absent, as Docker's daemon reports)
    std::string created_by;
    std::uint64_t size = 0;  ///< the layer's size, 0 for empty_layer entries
    std::string comment;
};

/// Builds the rows from the config history, mapping each non-empty entry to the next
/// layer's size (`layer_sizes`, base first) and giving IDs down the Parent chain like
/// Docker does.
std::vector<HistoryRow> history_rows(const image::Archive& archive, const image::Image& image,
                                     const std::vector<std::optional<std::uint64_t>>& layer_sizes);

/// The history of `img` with its layer sizes; unreadable layers are findings (size 0).
struct HistoryReport {
    std::vector<HistoryRow> rows;
    std::vector<image::Finding> findings;
};
inline constexpr Needs kHistoryNeeds{};
HistoryReport history(const image::Archive& archive, const image::Image& img, const ReadOptions& options);

}  // namespace tarsier::query
