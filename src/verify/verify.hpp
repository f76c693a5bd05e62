#pragma once
/// `tarsier verify`: checks every digest and size an archive declares, in one streaming
/// pass over its bytes (blobs are scanned in parallel when the input is a file).

#include <cstdint>
#include <string>

#include "util/progress.hpp"
#include "util/result.hpp"
#include "verify/check.hpp"

namespace tarsier::verify {

/// Limits and choices.
struct VerifyOptions {
    unsigned jobs = 1;          ///< blobs scanned at once (files and directories only)
    bool strict = false;        ///< warnings fail too
    std::string platform = "linux/amd64";
    bool platform_explicit = false;
    /// A decoded layer larger than this fails its check (decompression bomb).
    std::uint64_t max_layer_size = std::uint64_t{256} << 30;
    /// A layer that decodes to more than this multiple of its compressed size (checked
    /// after the first 64 MiB) fails its check. gzip cannot exceed about 1032.
    std::uint64_t max_ratio = 2000;
    /// Counts the bytes scanned (archive::OpenOptions::progress); nullptr for none.
    util::Progress* progress = nullptr;
};

/// Verifies the archive at `path`. Fails only when the input cannot be read at all or is
/// not an image archive; everything else is a Check in the Report.
util::Result<Report> verify_archive(const std::string& path, const VerifyOptions& options);

}  // namespace tarsier::verify
