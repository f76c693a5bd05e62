#pragma once
/// `tarsier history`: `docker image history` for an image in an archive.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include "query/history.hpp"
#include "report/template.hpp"


namespace tarsier::report {

/// How to print.
struct HistoryOptions {
    bool no_trunc = false;
    bool human = true;
    bool quiet = false;
    std::int64_t now = 0;        ///< Unix seconds
    std::int32_t utc_offset = 0; ///< for --human=false times
};

/// Docker's table (or IDs alone with quiet).
std::string render_history_table(const std::vector<query::HistoryRow>& rows, const HistoryOptions& options);
/// Docker's `--format json`: one object per line, keys sorted.
std::string render_history_json(const std::vector<query::HistoryRow>& rows, const HistoryOptions& options);
/// `docker history --format TEMPLATE`: the template over each row's JSON fields (ID,
/// CreatedSince, CreatedAt, CreatedBy, Size, Comment); fails (usage) on a template error.
util::Result<std::string> render_history_template(const std::vector<query::HistoryRow>& rows, const HistoryOptions& options,
                                                  const Template& format);

}  // namespace tarsier::report
