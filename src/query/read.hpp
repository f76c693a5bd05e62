#pragma once
/// Opening an archive for a query: the options every command shares, what each command
/// needs scanned while a stream passes (a stream is read once), and choosing the image.

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/layer_index.hpp"
#include "image/model.hpp"
#include "util/progress.hpp"

namespace tarsier::query {

/// How every query reads an archive (the command line's common options).
struct ReadOptions {
    std::string platform = "linux/amd64";  ///< --platform, as the user typed it
    bool platform_explicit = false;         ///< --platform was given: its absence is an error
    unsigned jobs = 0;                      ///< -j: worker threads; 0 for the number of cores
    archive::ContentDigest content_digest = archive::ContentDigest::xxh128;  ///< --content-digest
    std::uint64_t max_entries = 1'000'000;  ///< --max-entries: per layer index
    /// Counts the bytes read, for the CLI's progress line; nullptr for none. Must outlive
    /// the opened archive.
    util::Progress* progress = nullptr;
    /// With a file index: hands compressed layers' regular files to a stager as they are
    /// decoded (archive::ScanOptions::stager; extract's staging).
    archive::StagerFor stager;
};

/// What a query needs from the layer blobs.
struct Needs {
    bool files = false;          ///< each layer's file index (filesystem commands)
    bool estimate_gzip = false;  ///< the gzip -6 estimate of uncompressed layers
    bool digests = false;        ///< every layer's blob digest, hashing blobs no descriptor names
    bool hash_plain = false;     ///< with digests: hash a plain-tar blob too, not take its diff_id
    bool verify = false;         ///< every layer's raw SHA-256 and diff_id, in the same pass (for verify's checks)
    bool packages = false;       ///< with files: keep the package databases' bytes (pkg::wanted) as they pass
    bool package_digests = false;  ///< with files: each regular file's MD5, SHA-1 and SHA-256 (--verify-files)
    /// with packages: keep only pkg::wanted_for_listing's files (not dpkg's info/*.md5sums),
    /// for a read with pkg::InventoryOptions::separate_digests off
    bool package_listing = false;
    /// The SHA-256 and size of the whole input (archive::OpenOptions::input_digest: a
    /// file hashed on a thread of its own, a stream as it passes).
    bool input_digest = false;
    /// with files: archive::ScanOptions::content_on_demand, for a query that compares file
    /// contents through a query::ContentOnDemand (the audit of check and audit).
    bool content_on_demand = false;
};

/// Worker threads to use.
unsigned job_count(const ReadOptions& options);

/// The scan of one layer blob that gives what `needs` asks (with its diff_id and raw
/// SHA-256, so that every layer has both digests).
archive::ScanOptions layer_scan(const ReadOptions& options, Needs needs);

/// Opens and resolves `path` (a file, a directory or "-").
util::Result<image::Archive> open_archive(const std::string& path, const ReadOptions& options, Needs needs);
/// The same for an archive held in memory (tests and fuzzing); `name` names it in messages.
util::Result<image::Archive> open_archive_bytes(const std::string& name, std::string_view bytes,
                                                const ReadOptions& options, Needs needs);

/// An opened archive and the image chosen in it.
struct Selected {
    image::Archive archive;
    const image::Image* image = nullptr;  ///< points into archive.images
};
/// Chooses `selector` in `archive` (see image::select_image); errors name the archive.
util::Result<const image::Image*> choose_image(const image::Archive& archive, std::string_view selector);
/// The same, keeping the archive with the image.
util::Result<Selected> select(image::Archive archive, std::string_view selector);
/// open_archive, then select.
util::Result<Selected> open_image(const std::string& path, std::string_view selector, const ReadOptions& options,
                                  Needs needs);

}  // namespace tarsier::query
