#pragma once
/// `tarsier ls`: `docker image ls` over one or more archives.

#include <cstdint>
#include <string>
#include <vector>

#include "image/model.hpp"

namespace tarsier::report {

/// One image to list, with the archive it is in and its size.
struct ListedImage {
    std::string archive;           ///< the path the user gave
    const image::Image* image = nullptr;
    std::uint64_t size = 0;        ///< sum of its layer sizes
};

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

/// One table row per (repository, tag) as Docker expands them, `<none>` where missing.
struct ListRow {
    std::string archive, repository, tag, digest, id;
    std::int64_t created = 0;
    std::uint32_t created_nanos = 0;
    std::uint64_t size = 0;
};

/// Expands images into rows, newest image first (ties by ID, then archive).
std::vector<ListRow> list_rows(const std::vector<ListedImage>& images);

std::string render_list_table(const std::vector<ListRow>& rows, const ListOptions& options);
/// Docker's `--format json`: one object per line, keys sorted.
std::string render_list_json(const std::vector<ListRow>& rows, const ListOptions& options);

}  // namespace tarsier::report
