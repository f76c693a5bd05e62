#pragma once
/// `tarsier history`: `docker image history` for an image in an archive.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/model.hpp"

namespace tarsier::report {

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

/// How to print.
struct HistoryOptions {
    bool no_trunc = false;
    bool human = true;
    bool quiet = false;
    std::int64_t now = 0;        ///< Unix seconds
    std::int32_t utc_offset = 0; ///< for --human=false times
};

/// Docker's table (or IDs alone with quiet).
std::string render_history_table(const std::vector<HistoryRow>& rows, const HistoryOptions& options);
/// Docker's `--format json`: one object per line, keys sorted.
std::string render_history_json(const std::vector<HistoryRow>& rows, const HistoryOptions& options);

}  // namespace tarsier::report
