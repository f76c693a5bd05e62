#pragma once
/// `tarsier ls`: `docker image ls` rows over one or more archives or folders of archives.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "image/model.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// One table row per (repository, tag) as Docker expands them, `<none>` where missing.
struct ListRow {
    std::string archive, repository, tag, digest, id;
    std::int64_t created = 0;
    std::uint32_t created_nanos = 0;
    std::uint64_t size = 0;
};

/// One image to list, with the archive it is in and its size.
struct ListedImage {
    std::string archive;           ///< the path the user gave
    const image::Image* image = nullptr;
    std::uint64_t size = 0;        ///< sum of its layer sizes
};
/// Expands images into rows, newest image first (ties by ID, then archive).
std::vector<ListRow> list_rows(const std::vector<ListedImage>& images);

/// `-f` filters, as Docker spells them.
struct ListFilters {
    std::vector<std::string> reference;
    std::optional<bool> dangling;
    std::vector<std::pair<std::string, std::optional<std::string>>> labels;
};
/// Parses "reference=PATTERN", "dangling=true|false", "label=KEY[=VALUE]"; usage errors name --filter.
util::Result<ListFilters> parse_filters(const std::vector<std::string>& specs);
/// The references of `img` to show under the filters (Docker shows only the matching
/// ones), or nullopt when the image is filtered out.
util::Result<std::optional<std::vector<image::RepoTag>>> apply_filters(const image::Image& img, const ListFilters& f);

struct ListOptions {
    std::vector<std::string> paths;    ///< archives, layout folders, folders of archives, or "-"
    std::vector<std::string> filters;  ///< -f
    bool recursive = false;            ///< -r: look for archives in subfolders too
    ReadOptions read;
};

/// What `ls` found.
struct ListReport {
    std::vector<ListRow> rows;
    std::size_t archives = 0;              ///< archives read
    bool several = false;                  ///< more than one input: rows name their archive
    std::vector<util::Error> errors;       ///< inputs named by the user that could not be read
    std::vector<image::Finding> findings;  ///< notes: unreadable layers, empty folders, skipped files
};

/// Lists the images of every input. Fails only on bad filters (usage); unreadable inputs
/// are in `errors`, and a folder that gives nothing says why in `findings`.
util::Result<ListReport> list_images(const ListOptions& options);

}  // namespace tarsier::query
