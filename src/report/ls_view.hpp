#pragma once
/// `tarsier ls`: `docker image ls` over one or more archives.

#include <cstdint>
#include <string>
#include <vector>

#include "image/model.hpp"
#include "query/ls.hpp"
#include "report/template.hpp"

namespace tarsier::report {

/// How to print.
struct ListOptions {
    bool digests = false;
    bool no_trunc = false;
    bool quiet = false;
    bool show_archive = false;  ///< several archives: add an ARCHIVE column
    std::int64_t now = 0;
    std::int32_t utc_offset = 0;
    std::string zone_name = "UTC";
};

std::string render_list_table(const std::vector<query::ListRow>& rows, const ListOptions& options);
/// Docker's `--format json`: one object per line, keys sorted.
std::string render_list_json(const std::vector<query::ListRow>& rows, const ListOptions& options);
/// `docker image ls --format TEMPLATE`: the template over each row's JSON fields (ID,
/// Repository, Tag, Digest, CreatedSince, CreatedAt, Size, ... and Archive with several
/// archives); fails (usage) on a template error.
util::Result<std::string> render_list_template(const std::vector<query::ListRow>& rows, const ListOptions& options,
                                               const Template& format);

}  // namespace tarsier::report
