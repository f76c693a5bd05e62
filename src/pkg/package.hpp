#pragma once
/// Installed packages as the distribution's package manager records them: the model that
/// the dpkg, apk and rpm readers fill and that `tarsier packages`, the SBOM writers and the
/// package section of `tarsier diff` use. The readers never touch the disk: they read
/// the files of an image's merged tree through a `RootView` (src/pkg/root_view.hpp).
///
/// Layering: pkg uses util and digest only; query builds the per-layer views on it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace tarsier::pkg {

/// Which package manager wrote a database.
enum class Ecosystem : std::uint8_t { deb, apk, rpm };

/// "deb", "apk" or "rpm" (also the purl type).
const char* ecosystem_name(Ecosystem e);

/// A package's state as its database records it. Only `installed` (and, for dpkg,
/// `triggers_pending` and `triggers_awaited`, which are installed packages waiting for a
/// trigger) count as installed; every other state is reported as what it is.
enum class State : std::uint8_t {
    installed,
    triggers_pending,
    triggers_awaited,
    half_configured,
    unpacked,
    half_installed,
    config_files,
    not_installed,
};

/// dpkg's spelling of the state ("installed", "triggers-pending", "config-files", ...).
const char* state_name(State s);
/// Whether a package in this state is installed (installed, triggers-pending, triggers-awaited).
bool counts_as_installed(State s);

/// A path a package owns, and the digest its database records for it (if any).
struct OwnedFile {
    std::string path;    ///< normalised like an index entry: no leading "/", no "./"
    std::string digest;  ///< "md5:<hex>", "sha1:<hex>", "sha256:<hex>", ... or "" (directories, none recorded)
    bool directory = false;  ///< the database says this is a directory (rpm modes, apk folders, dpkg lists do not say)

    friend bool operator==(const OwnedFile&, const OwnedFile&) = default;
};

/// One package record.
struct Package {
    Ecosystem ecosystem = Ecosystem::deb;
    std::string name;
    /// The version as the package manager prints it: dpkg "[epoch:]upstream[-revision]";
    /// apk "1.31.1-r9"; rpm "version-release" without the epoch (rpm -q's %{VERSION}-%{RELEASE}).
    std::string version;
    /// rpm: %{EPOCH} when the header has one (0 is a real epoch, distinct from none).
    /// dpkg and apk keep the epoch inside `version`.
    std::optional<std::uint32_t> epoch;
    std::string arch;              ///< dpkg Architecture, apk A:, rpm %{ARCH} ("" when absent)
    std::string source_name;       ///< dpkg Source: name (or the package's own name), apk origin (o:), rpm SOURCERPM's name
    std::string source_version;    ///< dpkg Source: (version) or the package's version; rpm SOURCERPM's version-release; apk: ""
    std::string source_rpm;        ///< rpm %{SOURCERPM} as stored ("" otherwise)
    std::string license;           ///< apk L:, rpm %{LICENSE}; dpkg: "" (copyright files are not parsed)
    std::optional<std::uint64_t> installed_size;  ///< bytes: dpkg Installed-Size x 1024, apk I:, rpm %{SIZE}
    std::string vendor;            ///< rpm %{VENDOR}
    std::string modularity_label;  ///< rpm %{MODULARITYLABEL}
    std::string maintainer;        ///< dpkg Maintainer, apk m:, rpm %{PACKAGER}
    std::string description;       ///< the one-line summary (dpkg Description's first line, apk T:, rpm %{SUMMARY})
    State state = State::installed;
    std::vector<OwnedFile> files;  ///< in database order
    std::string db_file;           ///< the database file it was read from (normalised path in the image)

    /// dpkg "curl:amd64"-style identity is name + arch; this is the key packages are
    /// matched on between layers and images: ecosystem, name and arch.
    [[nodiscard]] std::string key() const;
    /// The version with the epoch, as the format spells it for comparison and display:
    /// dpkg and apk: `version`; rpm: "[epoch:]version-release".
    [[nodiscard]] std::string full_version() const;
};

/// The distribution, from /etc/os-release (or /usr/lib/os-release).
struct OsRelease {
    std::string id;                ///< ID ("debian", "alpine", "fedora", "sles", ...)
    std::string version_id;        ///< VERSION_ID
    std::string version_codename;  ///< VERSION_CODENAME
    std::string pretty_name;       ///< PRETTY_NAME
    std::string id_like;           ///< ID_LIKE
    std::string file;              ///< where it was read (normalised path), "" when none

    [[nodiscard]] bool empty() const { return file.empty(); }
};

/// A problem reading one database: the file, the place in it and what. The rest of the
/// inventory still comes out.
using Problem = util::Error;

/// What one image root holds: the distribution and every package database found.
struct Inventory {
    OsRelease os;
    std::vector<Package> packages;       ///< from every database read, in database order, dpkg first, then apk, then rpm
    /// The database files read (normalised paths, symlinks resolved), in reading order:
    /// dpkg status and each status.d file, apk installed, the rpm databases (not the dpkg
    /// info/*.list and *.md5sums files, which only add owned paths and digests).
    std::vector<std::string> databases;
    std::vector<Problem> problems;       ///< damaged, truncated, hostile or unreadable databases
};

}  // namespace tarsier::pkg
