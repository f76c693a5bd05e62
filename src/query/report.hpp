#pragma once
/// `tarsier report`: the model of one image's HTML page, built from the other queries
/// (layers, verify, waste, audit, packages, each layer's changes, the config) over one read
/// of the layers: verify scans every blob once for all of them, the filesystem sections
/// share one merged tree built beside the scans, and the later queries are answered from
/// the container's cached scans.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "fs/waste.hpp"
#include "image/model.hpp"
#include "query/changes.hpp"
#include "query/layers.hpp"
#include "query/packages.hpp"
#include "query/read.hpp"
#include "verify/check.hpp"

namespace tarsier::query {

/// The archive file the page is about.
struct ArchiveFile {
    std::string path;                   ///< as given ("-" for standard input)
    std::string name;                   ///< its base name ("standard input" for "-")
    std::string sha256;                 ///< "sha256:<hex>" of the file or stream; "" for a directory
    std::optional<std::uint64_t> size;  ///< bytes of the file or stream; nullopt for a directory
    std::string format;                 ///< image::to_string of the archive format
};

/// The filesystem sections (tree, changes, waste, audit, packages), which need every
/// layer's file index: absent when a layer could not be read, with the reason.
struct FilesSections {
    ChangesReport changes;  ///< the merged tree and every layer's changes
    fs::WasteReport waste;
    audit::Report audit;
    std::set<std::string> secret_env;  ///< names of environment variables audit marks as secrets
    /// What `tarsier packages` shows of the top layer; nullopt when no layer holds a
    /// package database (then the page has no packages section).
    std::optional<PackagesReport> packages;
};

/// Everything the page shows.
struct ReportPage {
    ArchiveFile archive;
    const image::Image* image = nullptr;  ///< points into the archive the page was built from
    LayersReport layers;                  ///< each layer's digests, sizes and CREATED BY
    verify::Report verify;
    /// For each check of `verify`, the position of the image layer it is about (nullopt:
    /// none of this image's layers).
    std::vector<std::optional<std::size_t>> verify_layer;
    std::optional<FilesSections> files;
    std::optional<util::Error> files_error;  ///< why `files` is absent
    std::vector<image::Finding> findings;    ///< notes about reading
};

/// How to build the page (the common read options; the page has no options of its own).
struct ReportOptions {
    ReadOptions read;
};

/// What `report` needs from the layer blobs: the file index, every digest, verify's
/// hashes and the package databases' bytes (what `tarsier packages` lists, without dpkg's
/// md5sums), all in one pass; and the whole input's SHA-256 (the archive's digest on the
/// page).
inline constexpr Needs kReportNeeds{.files = true,     .estimate_gzip = false, .digests = true,
                                    .hash_plain = true, .verify = true,         .packages = true,
                                    .package_listing = true, .input_digest = true};

/// Builds the page of `img`. `archive` must have been opened with kReportNeeds. Fails only
/// when the image cannot be read at all; an unreadable layer leaves the filesystem sections
/// out (files_error says why).
util::Result<ReportPage> report(const image::Archive& archive, const image::Image& img, const ReportOptions& options);

}  // namespace tarsier::query
