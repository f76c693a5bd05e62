#pragma once
/// An entry of an outer image archive (a tar member or a file in an OCI layout directory).

#include <cstdint>
#include <optional>
#include <string>

#include "archive/blob_scan.hpp"

namespace tarsier::archive {

/// The kind of an archive entry.
enum class EntryType { regular, directory, symlink, hardlink, other };

/// One entry of the outer archive.
struct Entry {
    std::string name;        ///< util::clean_path_in_root: no leading "./" or "/", no "." or ".." segments
    std::string raw_name;    ///< the name exactly as stored (for messages)
    EntryType type = EntryType::regular;
    std::uint64_t size = 0;  ///< data size in bytes
    std::string link;        ///< symlink or hardlink target, as stored
    std::uint64_t offset = 0;  ///< where the data starts (seekable tar files only)
    std::optional<std::string> content;  ///< small documents kept while streaming
    std::optional<BlobStats> stats;      ///< blob facts computed while streaming
};

}  // namespace tarsier::archive
