#pragma once
/// `tarsier export`: the merged filesystem after a layer as one tar stream (POSIX pax,
/// whiteouts applied, hardlinks as hardlinks, xattrs kept), or one layer's own tar as
/// stored (`--layer-only`), optionally gzip or zstd compressed.

#include <cstdint>
#include <string>
#include <vector>

#include "archive/tar_writer.hpp"
#include "image/model.hpp"
#include "query/read.hpp"

namespace tarsier::query {

struct ExportOptions {
    std::string layer;       ///< --layer: the tree after this layer ("" for the top)
    std::string layer_only;  ///< --layer-only: this layer's own tar ("" for the merged tree)
    archive::WriteCompression compression = archive::WriteCompression::none;
    ReadOptions read;
};

struct ExportReport {
    std::uint64_t entries = 0;             ///< entries written (0 with --layer-only)
    std::uint64_t streamed_layers = 0;     ///< layers written as they were indexed (decoded once; export_stream.hpp)
    std::vector<image::Finding> findings;
};

/// Writes the stream to `fd` (which it does not close). Fails on a bad --layer (usage), a
/// layer that cannot be read (naming it) and a write error.
util::Result<ExportReport> export_tar(const image::Archive& archive, const image::Image& img, const ExportOptions& options,
                                      int fd);

}  // namespace tarsier::query
