#pragma once
/// Installed packages as the distribution's package manager records them: the model that
/// the dpkg, apk and rpm readers fill and that `tarsier packages`, the SBOM writers and the
/// package section of `tarsier diff` use. The readers never touch the disk: they read
/// the files of an image's merged tree through a `RootView` (src/pkg/root_view.hpp).
///
/// Layering: pkg uses util and digest only; query builds the per-layer views on it.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

/// A path a package owns, and the digest its database records for it (if any): views
/// into the package's OwnedFiles, valid while that list lives and is not changed.
struct OwnedFile {
    std::string_view path;    ///< normalised like an index entry: no leading "/", no "./"
    std::string_view digest;  ///< "md5:<hex>", "sha1:<hex>", "sha256:<hex>", ... or "" (directories, none recorded)
    bool directory = false;   ///< the database says this is a directory (rpm modes, apk folders, dpkg lists do not say)

    friend bool operator==(const OwnedFile&, const OwnedFile&) = default;
};

/// The paths a package owns, in database order, held compactly: a database names
/// hundreds of thousands of them. A path is either copied into the list's own text or,
/// with share(), a view into a database file's bytes that the list keeps alive (dpkg's
/// info/*.list lines are the paths themselves); digests are always copied.
class OwnedFiles {
public:
    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = OwnedFile;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = OwnedFile;
        const_iterator() = default;
        const_iterator(const OwnedFiles* files, std::size_t i) : m_files(files), m_i(i) {}
        OwnedFile operator*() const { return (*m_files)[m_i]; }
        const_iterator& operator++() {
            ++m_i;
            return *this;
        }
        const_iterator operator++(int) {
            auto old = *this;
            ++m_i;
            return old;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.m_i == b.m_i; }

    private:
        const OwnedFiles* m_files = nullptr;
        std::size_t m_i = 0;
    };

    [[nodiscard]] std::size_t size() const { return m_items.size(); }
    [[nodiscard]] bool empty() const { return m_items.empty(); }
    [[nodiscard]] OwnedFile operator[](std::size_t i) const;
    [[nodiscard]] OwnedFile back() const { return (*this)[size() - 1]; }
    [[nodiscard]] const_iterator begin() const { return {this, 0}; }
    [[nodiscard]] const_iterator end() const { return {this, size()}; }

    /// Room for `files` more paths and `text` more bytes of copied paths and digests.
    void reserve(std::size_t files, std::size_t text);
    /// Appends a path and digest, both copied.
    void add(std::string_view path, std::string_view digest, bool directory);
    /// Keeps `bytes` alive with the list; add_shared() then takes views into it.
    /// Returns its number for add_shared().
    std::size_t share(std::shared_ptr<const std::string> bytes);
    /// Appends a path that is a view into the bytes shared as `source` (the digest copied).
    void add_shared(std::size_t source, std::string_view path, std::string_view digest, bool directory);
    /// Sets the digest of the last path (copied).
    void set_last_digest(std::string_view digest);

    friend bool operator==(const OwnedFiles& a, const OwnedFiles& b);

private:
    /// 16 bytes a path (a database names hundreds of thousands): offsets of 40 bits (a
    /// path's in its text, 1 TiB) and 38 (a digest's in m_text, 256 GiB), sizes of 32
    /// and 16 bits. Paths shared with add_shared() come from the first bytes shared only;
    /// those of any later source are copied.
    struct Item {
        std::uint64_t path_at : 40 = 0;      ///< offset in m_sources[0] when shared, else in m_text
        std::uint64_t digest_size : 16 = 0;
        std::uint64_t shared : 1 = 0;
        std::uint64_t directory : 1 = 0;
        std::uint64_t digest_at_high : 6 = 0;  ///< bits 32..37 of the digest's offset in m_text
        std::uint32_t path_size = 0;
        std::uint32_t digest_at_low = 0;       ///< bits 0..31
    };
    static_assert(sizeof(Item) == 16);
    std::vector<Item> m_items;
    std::string m_text;
    std::vector<std::shared_ptr<const std::string>> m_sources;
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
    OwnedFiles files;              ///< in database order
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
