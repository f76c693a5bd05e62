#pragma once
/// `tarsier layers`: one row per layer with download (compressed), uncompressed and
/// content sizes. Native output; JSON has a top-level schemaVersion.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/model.hpp"

namespace tarsier::report {

/// Facts about one layer of the image, as the command computed them.
struct LayerRow {
    std::size_t position = 0;
    std::string digest;                 ///< blob digest, "" when not known
    std::string diff_id;
    std::string media_type;
    std::string compression;            ///< detected: none, gzip, zstd, ... ("" when absent)
    bool present = true;
    std::string absent_reason;
    std::optional<std::uint64_t> download;      ///< compressed bytes
    bool download_estimated = false;            ///< `download` is a gzip -6 estimate
    std::optional<std::uint64_t> uncompressed;  ///< bytes of the tar stream
    std::optional<std::uint64_t> content;       ///< Docker's layer size
    std::string created_by;
    std::vector<std::string> shared_with;       ///< IDs of other images using this layer
    bool media_type_mismatch = false;           ///< declared compression differs from content
};

/// The whole report for one image.
struct LayersReport {
    std::string archive;
    std::string format;
    const image::Image* image = nullptr;
    std::vector<LayerRow> rows;
};

/// How to print.
struct LayersOptions {
    bool no_trunc = false;
};

std::string render_layers_table(const LayersReport& report, const LayersOptions& options);
/// JSON, schemaVersion 1 (documented in man/tarsier-layers.1).
std::string render_layers_json(const LayersReport& report);

}  // namespace tarsier::report
