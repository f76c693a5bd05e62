#pragma once
/// The files an image archive holds, whatever its packaging: a tar file read by seeking, a
/// tar stream (standard input or a compressed outer archive) read once, or an OCI layout
/// directory. Everything above this layer asks for entries by name.

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "archive/blob_scan.hpp"
#include "archive/entry.hpp"
#include "io/file_source.hpp"
#include "io/reader.hpp"
#include "util/progress.hpp"
#include "util/result.hpp"

namespace tarsier::archive {

/// How the container was read.
enum class Packaging { tar_file, tar_stream, directory };

/// Something noticed while reading the outer archive that does not stop the work.
struct ContainerFinding {
    std::string code;     ///< stable identifier, e.g. "duplicate-entry"
    std::string where;    ///< entry name
    std::string message;
};

/// Options for opening a container.
struct OpenOptions {
    /// For streams, which blob facts to compute while the stream passes (it is read once).
    ScanOptions stream_scan;
    /// Documents (JSON) larger than this are refused with a `limit` error.
    std::uint64_t max_document_size = 64ull << 20;
    /// Keep the entries read before a truncated or damaged part of the archive and report
    /// the damage as a finding ("archive-truncated", "archive-damaged") instead of failing.
    bool tolerate_damage = false;
    /// Counts the blob bytes scanned (see Container::expect_scans); nullptr for none. Must
    /// outlive the container.
    util::Progress* progress = nullptr;
    /// Hash every byte of the input (Container::input_sha256), for a query that shows the
    /// input's digest (report): a stream (standard input, a compressed outer archive) as it
    /// passes, once; a regular tar file on a thread of its own, beside the blob scans.
    bool input_digest = false;
};

/// An opened image archive's entries.
class Container {
public:
    virtual ~Container();

    /// The path the user gave.
    [[nodiscard]] const std::string& path() const { return m_path; }
    [[nodiscard]] Packaging packaging() const { return m_packaging; }
    /// Compression of the outer archive ("" when none).
    [[nodiscard]] const std::string& outer_compression() const { return m_outer_compression; }
    /// All entries, in archive order (for directories, sorted by name).
    [[nodiscard]] const std::vector<Entry>& entries() const { return m_entries; }
    /// Problems noticed while reading the container.
    [[nodiscard]] const std::vector<ContainerFinding>& findings() const { return m_findings; }
    /// With OpenOptions::input_digest, "sha256:<hex>" of every byte of the input file or
    /// stream; "" otherwise, for a directory, or when the input could not be read to its
    /// end. Waits for the hash of a file to end.
    [[nodiscard]] const std::string& input_sha256() const;
    /// The input's size in bytes, with input_sha256 (nullopt without it).
    [[nodiscard]] std::optional<std::uint64_t> input_size() const;

    /// Finds a regular file by normalised name, following symlinks and hardlinks inside
    /// the archive. Returns nullptr when absent; fails (malformed) on a link that loops or
    /// leaves the archive.
    util::Result<const Entry*> find(std::string_view name) const;
    /// Whether a directory or file named `name` (normalised) exists.
    [[nodiscard]] bool exists(std::string_view name) const;
    /// The whole input as one blob, for an archive that is itself a layer tar (docker save's
    /// layer.tar, a .tar.gz or .tar.zst layer blob): an entry named after the path the user
    /// gave, over every byte of the file; `find` returns it for that name. nullptr for
    /// directories and for standard input that is not a regular file (read once already).
    [[nodiscard]] const Entry* whole_input() const { return m_whole ? &*m_whole : nullptr; }

    /// Reads a whole (small) file, e.g. a JSON document.
    util::Result<std::string> read_document(const Entry& entry) const;
    /// Facts about a blob, computed on demand and cached (streams: computed while reading).
    util::Result<BlobStats> blob_stats(const Entry& entry, const ScanOptions& options) const;
    /// Waits for a scan that another thread does with blob_stats: the cached facts of
    /// `entry` once they satisfy `options` (ScanOptions::satisfied_by); nullopt when a
    /// scan of `entry` failed, or when end_scans() was called and none satisfies them.
    /// Scans nothing itself. A stream's entry answers at once. Thread-safe.
    std::optional<BlobStats> await_stats(const Entry& entry, const ScanOptions& options) const;
    /// Says that no more scans are under way for await_stats to wait for: every waiter
    /// wakes, and later calls wait no more. The thread that scans calls it when its
    /// scanning is over, whatever happened (else a waiter would wait for ever);
    /// blob_stats works as before.
    void end_scans() const;
    /// Adds the sizes of `entries` that blob_stats will read (not those a stream scanned
    /// as it passed) to the progress total (OpenOptions::progress); call before scanning
    /// them, so that the total is known while they are read.
    void expect_scans(const std::vector<const Entry*>& entries) const;
    /// Opens the entry's data for reading (not possible for streams).
    util::Result<std::unique_ptr<io::Reader>> open(const Entry& entry) const;
    /// Opens `length` bytes of the entry's data from `offset` on; fails (malformed) when
    /// they lie beyond the entry's end.
    util::Result<std::unique_ptr<io::Reader>> open(const Entry& entry, std::uint64_t offset, std::uint64_t length) const;

protected:
    Container(std::string path, Packaging packaging);
    /// Starts hashing all of `file` on a thread of its own (OpenOptions::input_digest for a
    /// regular file): input_sha256() waits for it; the destructor stops it.
    void hash_input_beside(std::shared_ptr<io::FileSource> file);
    /// Where an entry's bytes are: a file and an offset in it.
    struct Location {
        std::shared_ptr<io::FileSource> file;
        std::uint64_t offset = 0;
    };
    /// Locates the bytes of an entry that were not captured while streaming.
    virtual util::Result<Location> locate(const Entry& entry) const = 0;
    /// Adds an entry; a later entry with the same name replaces the earlier (last wins).
    void add_entry(Entry entry);
    void add_finding(std::string code, std::string where, std::string message);
    std::vector<Entry> m_entries;
    std::map<std::string, std::size_t, std::less<>> m_by_name;
    std::vector<ContainerFinding> m_findings;
    std::string m_outer_compression;
    OpenOptions m_options;
    std::optional<Entry> m_whole;  ///< see whole_input()
    std::string m_input_sha256;                ///< see input_sha256()
    std::optional<std::uint64_t> m_input_size;  ///< see input_size()

private:
    /// The hash of hash_input_beside, until input_sha256() or the destructor waits for it.
    struct InputHash;
    std::unique_ptr<InputHash> m_input_hash;
    util::Result<BlobStats> compute(const Entry& entry, const ScanOptions& options, std::uint64_t& counted) const;
    std::string m_path;
    Packaging m_packaging;
    mutable std::mutex m_mutex;  ///< guards m_cache, m_failed, m_scans_ended
    mutable std::map<std::string, BlobStats, std::less<>> m_cache;
    mutable std::set<std::string, std::less<>> m_failed;  ///< entries whose scan failed
    mutable bool m_scans_ended = false;                   ///< see end_scans()
    mutable std::condition_variable m_scanned;            ///< a scan ended: await_stats
};

/// Opens `path`: a directory (OCI image layout), "-" (standard input) or a file holding a
/// tar, possibly gzip, zstd, bzip2 or xz compressed. Fails with not_found, unreadable or
/// not_image (not a tar at all); "-" fails at once with usage when standard input is a
/// terminal and with unreadable when it is closed.
util::Result<std::unique_ptr<Container>> open_container(const std::string& path, const OpenOptions& options);
/// Opens a tar archive (possibly compressed) held in memory, as open_container opens a file;
/// `name` is what messages call it.
util::Result<std::unique_ptr<Container>> open_container_bytes(const std::string& name, std::string_view bytes,
                                                              const OpenOptions& options);

}  // namespace tarsier::archive
