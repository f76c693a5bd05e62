#pragma once
/// Reading an image root's packages: each format's reader, and the one entry point that
/// finds them all.

#include <string_view>

#include "pkg/package.hpp"
#include "pkg/root_view.hpp"
#include "util/result.hpp"

namespace tarsier::pkg {

/// What read_inventory reads besides the packages and the paths they own.
struct InventoryOptions {
    /// Whether digests kept in files of their own are read: dpkg's info/*.md5sums (a
    /// package with no info/*.list still reads its md5sums, for its paths). Without
    /// them a view need hold only wanted_for_listing()'s files; apk's and rpm's digests,
    /// inside their databases, are read either way.
    bool separate_digests = true;
};

/// The distribution and every package database under `root`: dpkg (var/lib/dpkg/status,
/// status.d/*, info/*.list and *.md5sums), apk (lib/apk/db/installed or
/// usr/lib/apk/db/installed), rpm (rpmdb.sqlite, Packages.db, Packages in var/lib/rpm or
/// usr/lib/sysimage/rpm). Never fails: a bad database is a problem in the inventory.
Inventory read_inventory(const RootView& root, const InventoryOptions& options = {});

/// os-release (KEY=value, shell quoting) from its bytes.
OsRelease parse_os_release(std::string_view bytes, std::string_view file);

/// One dpkg status file (or one status.d file): every stanza, in file order. Files owned
/// are not filled (they come from info/*.list). A malformed stanza (no Package, a Status
/// that is not "want flag state", a line that is not a field, a line over 1 MiB) is
/// skipped with a problem naming its line; the others are returned. A stanza with no
/// Version is kept (version ""); one with no Status counts as installed, as distroless
/// writes status.d (read_inventory makes it a problem in var/lib/dpkg/status). Fails only
/// when `bytes` is larger than kMaxDatabaseBytes; past 200,000 stanzas the rest is a
/// `limit` problem.
util::Result<std::vector<Package>> parse_dpkg_status(std::string_view bytes, std::string_view file,
                                                     std::vector<Problem>& problems);

/// An apk installed database: every stanza with a P: (name) and a V: (version), in file
/// order, with the F:/R: paths it owns (F: directories marked as such) and each R: file's
/// Z: checksum ("Q1" + base64 SHA-1 -> "sha1:<hex>"). A stanza without P: or V:, or with
/// a line that is not "X:value", is skipped with a problem naming its line. Fails only
/// when `bytes` is larger than kMaxDatabaseBytes.
util::Result<std::vector<Package>> parse_apk_installed(std::string_view bytes, std::string_view file,
                                                       std::vector<Problem>& problems);

/// The rpm databases: SQLite (rpmdb.sqlite), NDB (Packages.db) and Berkeley DB hash
/// (Packages), each by its blobs of rpm headers, read with no rpm library.
util::Result<std::vector<Package>> parse_rpm_sqlite(std::string_view bytes, std::string_view file,
                                                    std::vector<Problem>& problems);
util::Result<std::vector<Package>> parse_rpm_ndb(std::string_view bytes, std::string_view file,
                                                 std::vector<Problem>& problems);
util::Result<std::vector<Package>> parse_rpm_bdb(std::string_view bytes, std::string_view file,
                                                 std::vector<Problem>& problems);
/// One rpm header blob (the immutable header region as the databases store it).
util::Result<Package> parse_rpm_header(std::string_view blob, std::string_view file);

/// Compares two versions by the ecosystem's own rules (dpkg: epoch, upstream, revision,
/// with `~`; apk: its version grammar with suffixes and -rN; rpm: rpmvercmp on
/// [epoch:]version-release). <0, 0, >0.
int compare_versions(Ecosystem e, std::string_view a, std::string_view b);

}  // namespace tarsier::pkg
