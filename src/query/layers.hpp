#pragma once
/// `tarsier layers`: each layer's digests and download (compressed), uncompressed and
/// content sizes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/model.hpp"
#include "query/read.hpp"

namespace tarsier::query {

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
    std::vector<image::Finding> findings;  ///< layers that could not be read
};

struct LayersOptions {
    bool estimate_download = false;  ///< estimate the gzip -6 size of layers stored uncompressed
    ReadOptions read;
};
/// What `layers` needs read while a stream passes.
Needs layers_needs(const LayersOptions& options);

/// The layers of `img` with their sizes. A layer that cannot be read keeps what is known
/// of it (declared sizes, digests) and is a finding; no option turns facts it did not ask
/// about into unknowns.
LayersReport layers(const image::Archive& archive, const image::Image& img, const LayersOptions& options);

}  // namespace tarsier::query
