#pragma once
/// `tarsier packages`: the installed packages of an image at every layer, which layer
/// installed and last changed each one, what each layer installed, upgraded, downgraded and
/// removed, and the findings only a per-layer view shows (package files deleted or
/// overwritten without the package manager, a database deleted or emptied while its
/// packages' files still ship, damaged databases). The SBOM writers, the package section of
/// `tarsier diff` and `--owner` in `files`/`blame` build on this model.
///
/// The databases are read from the bytes the blob scanner captured while each layer
/// streamed (pkg::wanted selects them, or pkg::wanted_for_listing without the digests;
/// one pass, no second read of a layer), through a
/// pkg::RootView over the merged tree at that layer (package_root.hpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/layer_id.hpp"
#include "image/model.hpp"
#include "pkg/package.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// What `packages` reads: file indexes with every layer's digests, and the package
/// databases' bytes captured as the layers stream.
inline constexpr Needs kPackagesNeeds{.files = true, .estimate_gzip = false, .digests = true, .packages = true};
/// The same with the digests that package databases record (md5, sha1, sha256) of every
/// regular file's content, for --verify-files.
inline constexpr Needs kPackagesVerifyNeeds{
    .files = true, .estimate_gzip = false, .digests = true, .packages = true, .package_digests = true};
/// kPackagesNeeds without dpkg's info/*.md5sums (PackagesOptions::file_digests off): the
/// largest part of a dpkg database, needed only for the digests that SBOMs and
/// --verify-files use.
inline constexpr Needs kPackagesListNeeds{
    .files = true, .estimate_gzip = false, .digests = true, .packages = true, .package_listing = true};

/// Options of `tarsier packages`.
struct PackagesOptions {
    std::string layer;          ///< --layer: the state after this layer ("" for the top); as image::select_layer reads it
    bool unowned = false;       ///< --unowned: list the files no package owns
    bool verify_files = false;  ///< --verify-files: check files against the databases' digests
                                ///< (needs an archive opened with kPackagesVerifyNeeds)
    /// Whether the packages' files carry the digests dpkg keeps in info/*.md5sums (off: a
    /// package's files have no digests, and a layer that changed its md5sums changed it;
    /// needs an archive opened with kPackagesListNeeds). On with verify_files.
    bool file_digests = true;
    ReadOptions read;
};

/// What an archive must be opened with for `options`.
inline Needs packages_needs(const PackagesOptions& options) {
    if (options.verify_files) return kPackagesVerifyNeeds;
    return options.file_digests ? kPackagesNeeds : kPackagesListNeeds;
}

/// One package in the state after a layer, with where it came from.
struct PackageEntry {
    pkg::Package package;
    /// The layer (position) that installed it: the first layer of the last unbroken run of
    /// layers in which it was installed.
    std::size_t installed_in = 0;
    /// The layer that last changed it: installed, upgraded, downgraded, reinstalled with
    /// other files or changed state. Equal to installed_in when nothing changed it since.
    std::size_t last_changed_in = 0;
};

/// What a layer did to one package.
enum class PackageChangeKind : std::uint8_t { installed, upgraded, downgraded, removed, changed };

/// "installed", "upgraded", "downgraded", "removed", "changed".
const char* change_kind_name(PackageChangeKind k);

/// One package change of a layer, matched by pkg::Package::key(). `changed` is the same
/// version with another state (e.g. unpacked -> installed) or another list of files.
struct PackageChange {
    PackageChangeKind kind = PackageChangeKind::installed;
    std::string key;           ///< pkg::Package::key()
    pkg::Ecosystem ecosystem = pkg::Ecosystem::deb;
    std::string name;
    std::string arch;
    std::string old_version;   ///< full_version() before: upgraded, downgraded, removed, changed
    std::string new_version;   ///< full_version() after: installed, upgraded, downgraded, changed
};

/// What one layer did to the packages.
struct LayerPackages {
    image::LayerId layer;
    /// A database or os-release file changed in this layer, so its inventory was read
    /// again (otherwise the previous layer's holds).
    bool databases_changed = false;
    std::size_t installed_count = 0;      ///< packages installed after this layer
    std::vector<PackageChange> changes;   ///< sorted by kind (in the order above), name, arch
    std::vector<pkg::Problem> problems;   ///< databases that could not be read as they are after this layer
};

/// Kinds of package finding (the JSON and text spell them as `code`).
enum class PackageFindingKind : std::uint8_t {
    files_deleted,       ///< "package-files-deleted": installed package's files deleted by a later layer, database untouched
    files_overwritten,   ///< "package-files-overwritten": its files' content changed by a later layer without the package manager
    database_deleted,    ///< "database-deleted": a layer deleted a database while its packages' files still ship
    database_emptied,    ///< "database-emptied": a layer emptied a database while its packages' files still ship
    database_damaged,    ///< "database-damaged": a database could not be read (the problem's file and place)
};

/// The stable code of a finding kind.
const char* finding_code(PackageFindingKind k);

/// A finding about packages, placed at the layer that caused it.
struct PackageFinding {
    PackageFindingKind kind = PackageFindingKind::files_deleted;
    std::string severity = "warning";  ///< "warning" (every kind today)
    std::size_t layer = 0;             ///< the layer that did it
    std::string package;               ///< pkg::Package::key() ("" for a database finding)
    std::string database;              ///< the database file (normalised path)
    std::vector<std::string> paths;    ///< the files concerned, sorted (at most kMaxFindingPaths)
    std::size_t path_count = 0;        ///< how many files in all
    std::string message;               ///< one line, what was seen
};

/// The most paths a finding lists (path_count says how many there were).
inline constexpr std::size_t kMaxFindingPaths = 20;

/// A file that no package owns in the state shown (--unowned).
struct UnownedFile {
    std::string path;     ///< normalised (no leading '/')
    char type = '0';      ///< tar type: '0' regular file, '2' symlink (hard links count as files)
    std::uint64_t size = 0;
    std::size_t layer = 0;  ///< the layer that last set it
};

/// --verify-files: a package file whose content does not match its database.
enum class FileCheckOutcome : std::uint8_t { modified, missing, replaced };

/// "modified", "missing", "replaced".
const char* outcome_name(FileCheckOutcome o);

struct FileCheck {
    FileCheckOutcome outcome = FileCheckOutcome::modified;
    std::string package;   ///< pkg::Package::key()
    std::string path;      ///< normalised
    std::string expected;  ///< the database's digest ("md5:<hex>", "sha1:<hex>", ...)
    std::string actual;    ///< the file's digest in that algorithm ("" when missing or replaced)
    /// modified: the layer that last wrote the file; missing: the layer that deleted it;
    /// replaced (now a directory, symlink or other non-file): the layer that set it.
    std::optional<std::size_t> layer;
};

/// The answer of `tarsier packages`.
struct PackagesReport {
    std::vector<image::LayerId> layers;       ///< every layer of the image, base first
    std::size_t shown_layer = 0;              ///< the state shown is after this layer (--layer, else the top)
    pkg::OsRelease os;                        ///< after shown_layer
    std::vector<std::string> databases;       ///< database files read after shown_layer
    std::vector<PackageEntry> packages;       ///< after shown_layer, sorted by ecosystem, name, arch
    std::vector<LayerPackages> per_layer;     ///< layers 0 .. shown_layer, base first
    std::vector<PackageFinding> package_findings;  ///< sorted by layer, code, package, database
    std::optional<std::vector<UnownedFile>> unowned;  ///< with --unowned: sorted by path
    std::optional<std::vector<FileCheck>> file_checks;  ///< with --verify-files: sorted by package, path
    std::vector<image::Finding> findings;     ///< about the archive and unreadable layers
};

/// The packages of `img` at every layer. Fails on a bad --layer (usage) and on a layer
/// that cannot be read (naming it); a damaged database is a problem and a finding, never a
/// failure.
util::Result<PackagesReport> packages(const image::Archive& archive, const image::Image& img,
                                      const PackagesOptions& options);

}  // namespace tarsier::query
