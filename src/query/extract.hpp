#pragma once
/// `tarsier extract`: the merged filesystem after a layer (or the named paths and what is
/// below them) written into a directory, never outside it (io::RootDir: no path component
/// is ever followed through a symlink). Device nodes and owners only when asked and root;
/// setuid and setgid bits of files dropped unless asked.

#include <cstdint>
#include <string>
#include <vector>

#include "image/model.hpp"
#include "query/read.hpp"

namespace tarsier::query {

struct ExtractOptions {
    std::string layer;                  ///< --layer ("" for the top)
    std::vector<std::string> patterns;  ///< PATH...: only these and what is below them
    std::string to;                     ///< --to DIR: created when absent
    bool force = false;                 ///< write into a DIR that is not empty
    bool same_owner = false;            ///< give entries their owners (root only)
    bool devices = false;               ///< create device nodes (root only)
    bool preserve_setuid = false;       ///< keep setuid and setgid bits of files
    std::vector<std::string> keep;      ///< files never replaced (the archive being read)
    ReadOptions read;
};

struct ExtractReport {
    std::uint64_t written = 0;               ///< paths created
    std::uint64_t refused = 0;               ///< paths not written (see findings)
    /// regular files moved into place from what staging kept while the layers were
    /// indexed (query/staging.hpp), their layers not read a second time
    std::uint64_t staged = 0;
    std::vector<std::string> unmatched;      ///< patterns that matched nothing
    std::vector<image::Finding> findings;    ///< each path not written, devices skipped, ...
};

/// Extracts into options.to. Fails (usage) on a DIR that is not empty without --force, on
/// --same-owner or --devices when not root, on a bad --layer; (unreadable) on a layer that
/// cannot be read. A path that cannot be written safely is a finding, and the rest goes on.
util::Result<ExtractReport> extract(const image::Archive& archive, const image::Image& img,
                                    const ExtractOptions& options);

}  // namespace tarsier::query
