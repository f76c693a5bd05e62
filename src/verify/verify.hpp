#pragma once
/// `tarsier verify`: checks every digest and size an archive declares, in one streaming
/// pass over its bytes (blobs are scanned in parallel when the input is a file).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "archive/layer_index.hpp"
#include "image/model.hpp"
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
    /// Also build each layer's file index with these content digests in the same scan,
    /// so that a caller going on with the archive (tarsier check) reads no layer twice.
    std::optional<archive::ContentDigest> file_index;
    /// With file_index: archive::ScanOptions::content_on_demand (tarsier check, whose audit
    /// reads again the few files it compares).
    bool content_on_demand = false;
    std::uint64_t max_index_entries = 1'000'000;  ///< with file_index: per layer
    /// With file_index: keep the bytes of the files this selects in each layer's index
    /// (archive::ScanOptions::capture: the package databases, for tarsier report), at
    /// most `capture_max_bytes` each.
    bool (*capture)(std::string_view path) = nullptr;
    std::uint64_t capture_max_bytes = 0;
    /// Counts the bytes scanned (archive::OpenOptions::progress); nullptr for none.
    util::Progress* progress = nullptr;
    /// Run on a thread of its own once the archive is resolved, while verify scans its
    /// blobs, for a caller that goes on with each scan as it ends (tarsier check and
    /// report: archive::Container::await_stats waits for one); the layer blobs are then
    /// scanned base first, not largest first, so that its work follows the scans.
    /// verify_and_keep and verify_resolved call end_scans() when their scanning is over,
    /// whatever happened, and join the thread before they return; an exception the hook
    /// throws is rethrown there.
    std::function<void(const image::Archive&)> alongside;
};

/// Verifies the archive at `path`. Fails only when the input cannot be read at all or is
/// not an image archive; everything else is a Check in the Report.
util::Result<Report> verify_archive(const std::string& path, const VerifyOptions& options);

/// The same checks on an archive already opened and resolved (so that a caller that reads
/// its layers for other facts too reads each blob once: the container's cached scans serve
/// every check they satisfy). A stream's blobs must have been scanned for at least what
/// verify asks (raw SHA-256, diff_id, tar walk) as they passed.
Report verify_resolved(const image::Archive& archive, const VerifyOptions& options);
/// A verification and the archive it read, resolved (absent when its documents could not
/// be resolved: the report then says why). The archive's layer scans stay cached in it.
struct Verified {
    Report report;
    std::optional<image::Archive> archive;
};
/// verify_archive, keeping the archive for further queries over the same scans.
util::Result<Verified> verify_and_keep(const std::string& path, const VerifyOptions& options);

}  // namespace tarsier::verify
