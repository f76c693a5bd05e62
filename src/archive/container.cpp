#include "archive/container.hpp"

#include "archive/ustar_walk.hpp"
#include "io/progress_reader.hpp"
#include "util/path.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <thread>

#include "digest/digest.hpp"

#include <fmt/format.h>

namespace tarsier::archive {

using util::ErrorKind;
using util::fail;
using util::Result;

/// The input's SHA-256 computed on a thread of its own (hash_input_beside).
struct Container::InputHash {
    std::atomic<bool> stop{false};
    std::once_flag joined;
    std::thread thread;
    std::string sha256;  ///< "" when the file could not be read to its end
    std::optional<std::uint64_t> size;

    explicit InputHash(std::shared_ptr<io::FileSource> file) {
        thread = std::thread([this, file = std::move(file)] {
            // Off the critical path (it is awaited last): it takes a core only where none
            // of the scans wants it.
            setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
            digest::Hasher hasher;
            std::vector<std::uint8_t> buf(std::size_t{1} << 20);
            std::uint64_t at = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                auto n = file->pread(at, buf);
                if (!n) return;
                if (*n == 0) {
                    sha256 = hasher.finish();
                    size = at;
                    return;
                }
                hasher.update(std::span<const std::uint8_t>(buf.data(), *n));
                at += *n;
            }
        });
    }
    void wait() {
        std::call_once(joined, [this] { thread.join(); });
    }
    ~InputHash() {
        stop = true;
        wait();
    }
};

Container::Container(std::string path, Packaging packaging) : m_path(std::move(path)), m_packaging(packaging) {}
Container::~Container() = default;

void Container::hash_input_beside(std::shared_ptr<io::FileSource> file) {
    m_input_hash = std::make_unique<InputHash>(std::move(file));
}

const std::string& Container::input_sha256() const {
    if (!m_input_hash) return m_input_sha256;
    m_input_hash->wait();
    return m_input_hash->sha256;
}

std::optional<std::uint64_t> Container::input_size() const {
    if (!m_input_hash) return m_input_size;
    m_input_hash->wait();
    return m_input_hash->size;
}

void Container::add_entry(Entry entry) {
    auto it = m_by_name.find(entry.name);
    if (it != m_by_name.end()) {
        if (entry.type != EntryType::directory || m_entries[it->second].type != EntryType::directory)
            add_finding("duplicate-entry", entry.raw_name, "the archive holds this name more than once; the last copy wins");
        m_entries[it->second] = std::move(entry);
        return;
    }
    m_by_name.emplace(entry.name, m_entries.size());
    m_entries.push_back(std::move(entry));
}

void Container::add_finding(std::string code, std::string where, std::string message) {
    m_findings.push_back({std::move(code), std::move(where), std::move(message)});
}

bool Container::exists(std::string_view name) const {
    if (m_by_name.count(name)) return true;
    // Directories need not have entries of their own.
    std::string prefix = std::string(name) + "/";
    auto it = m_by_name.lower_bound(prefix);
    return it != m_by_name.end() && it->first.starts_with(prefix);
}

Result<const Entry*> Container::find(std::string_view name) const {
    if (m_whole && name == m_whole->name) return &*m_whole;
    auto norm = util::clean_path_in_root(name);
    if (!norm) return fail(ErrorKind::malformed, std::string(name), "path leaves the archive");
    std::string current = *norm;
    for (int hops = 0; hops < 40; ++hops) {
        auto it = m_by_name.find(current);
        if (it == m_by_name.end()) return static_cast<const Entry*>(nullptr);
        const Entry& e = m_entries[it->second];
        if (e.type == EntryType::regular) return &e;
        if (e.type == EntryType::symlink) {
            // Resolved inside the archive root only, like moby's FollowSymlinkInScope.
            std::string base = current.find('/') == std::string::npos ? "" : current.substr(0, current.rfind('/') + 1);
            std::string target = e.link.starts_with("/") ? e.link : base + e.link;
            auto next = util::clean_path_in_root(target);
            if (!next) return fail(ErrorKind::malformed, std::string(name), fmt::format("symlink to '{}' leaves the archive", e.link));
            current = *next;
            continue;
        }
        if (e.type == EntryType::hardlink) {
            auto next = util::clean_path_in_root(e.link);
            if (!next) return fail(ErrorKind::malformed, std::string(name), fmt::format("hardlink to '{}' leaves the archive", e.link));
            current = *next;
            continue;
        }
        return fail(ErrorKind::malformed, std::string(name), "not a regular file");
    }
    return fail(ErrorKind::malformed, std::string(name), "too many levels of links (a link loop?)");
}

}  // namespace tarsier::archive

namespace tarsier::archive {

Result<std::string> Container::read_document(const Entry& e) const {
    if (e.content) return *e.content;
    if (e.size > m_options.max_document_size)
        return fail(ErrorKind::limit, e.raw_name,
                    fmt::format("document of {} bytes exceeds the limit of {} bytes", e.size, m_options.max_document_size));
    if (e.stats) return fail(ErrorKind::malformed, e.raw_name, "not a document (it was scanned as a blob)");
    auto loc = locate(e);
    if (!loc) return loc.failure();
    std::string out(e.size, '\0');
    auto n = loc->file->pread(loc->offset, std::span(reinterpret_cast<std::uint8_t*>(out.data()), out.size()));
    if (!n) return fail(n.error().at(e.raw_name));
    if (*n != e.size) return fail(ErrorKind::truncated, e.raw_name, "file ends inside this entry");
    return out;
}

namespace {

/// A byte range that keeps its file open (a directory's entry is opened for the reader alone).
class OwnedRange final : public io::Reader {
public:
    OwnedRange(std::shared_ptr<io::FileSource> file, std::uint64_t offset, std::uint64_t length)
        : m_file(std::move(file)), m_range(m_file->range(offset, length)) {}
    Result<std::size_t> read(std::span<std::uint8_t> buf) override { return m_range->read(buf); }
    [[nodiscard]] std::optional<io::FileSpan> file_span() const override { return m_range->file_span(); }

private:
    std::shared_ptr<io::FileSource> m_file;
    std::unique_ptr<io::Reader> m_range;
};

}  // namespace

Result<std::unique_ptr<io::Reader>> Container::open(const Entry& e) const {
    if (e.content) return std::unique_ptr<io::Reader>(std::make_unique<io::MemoryReader>(*e.content));
    return open(e, 0, e.size);
}

Result<std::unique_ptr<io::Reader>> Container::open(const Entry& e, std::uint64_t offset, std::uint64_t length) const {
    if (offset > e.size || length > e.size - offset)
        return fail(ErrorKind::malformed, e.raw_name, fmt::format("bytes {} to {} lie beyond the entry's {}", offset, offset + length, e.size));
    if (e.content)
        return std::unique_ptr<io::Reader>(std::make_unique<io::MemoryReader>(std::string_view(*e.content).substr(offset, length)));
    auto loc = locate(e);
    if (!loc) return loc.failure();
    return std::unique_ptr<io::Reader>(std::make_unique<OwnedRange>(std::move(loc->file), loc->offset + offset, length));
}

Result<BlobStats> Container::blob_stats(const Entry& e, const ScanOptions& options) const {
    if (e.stats) {
        if (options.satisfied_by(e.stats->options)) return *e.stats;
        return fail(ErrorKind::usage, e.raw_name, "this fact cannot be computed from a stream that was read once");
    }
    util::Progress* progress = m_options.progress;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_cache.find(e.name);
        if (it != m_cache.end() && options.satisfied_by(it->second.options)) {
            if (progress) progress->advance(e.size);  // expected, and done at once
            return it->second;
        }
    }
    if (progress) progress->begin(e.name);
    std::uint64_t counted = 0;
    Result<BlobStats> stats = compute(e, options, counted);
    // What the scan did not read (a walk by headers, a failure) is done all the same.
    if (progress && counted < e.size) progress->advance(e.size - counted);
    {
        std::lock_guard lock(m_mutex);
        if (stats) m_cache.insert_or_assign(e.name, *stats);
        else m_failed.insert(e.name);
    }
    m_scanned.notify_all();
    return stats;
}

std::optional<BlobStats> Container::await_stats(const Entry& e, const ScanOptions& options) const {
    if (e.stats) {
        if (options.satisfied_by(e.stats->options)) return *e.stats;
        return std::nullopt;
    }
    std::unique_lock lock(m_mutex);
    for (;;) {
        auto it = m_cache.find(e.name);
        if (it != m_cache.end() && options.satisfied_by(it->second.options)) return it->second;
        if (m_scans_ended || m_failed.count(e.name)) return std::nullopt;
        m_scanned.wait(lock);
    }
}

void Container::end_scans() const {
    {
        std::lock_guard lock(m_mutex);
        m_scans_ended = true;
    }
    m_scanned.notify_all();
}

void Container::expect_scans(const std::vector<const Entry*>& entries) const {
    if (!m_options.progress) return;
    std::uint64_t bytes = 0;
    for (const Entry* e : entries)
        if (e && !e->stats) bytes += e->size;
    m_options.progress->expect(bytes);
}

Result<BlobStats> Container::compute(const Entry& e, const ScanOptions& options, std::uint64_t& counted) const {
    std::unique_ptr<FileStager> stager = options.stager ? options.stager(e.name) : nullptr;
    if (e.content) {
        io::MemoryReader r(*e.content);
        return scan_blob(r, options, stager.get());
    }
    auto loc = locate(e);
    if (!loc) return loc.failure();
    // Fast path: an uncompressed layer whose bytes need not be hashed is walked by its
    // headers alone, seeking over file data: the cost grows with entries, not bytes. So is
    // an index of metadata alone (ContentDigest::none).
    const bool metadata_index = options.index == ContentDigest::none && !options.capture && !options.file_digests;
    if (!options.raw_digest && !options.diff_id && !options.estimate_gzip && (!options.index || metadata_index) &&
        options.walk_tar) {
        std::array<std::uint8_t, 512> head{};
        auto n = loc->file->pread(loc->offset, std::span(head.data(), std::min<std::size_t>(head.size(), e.size)));
        if (!n) return n.failure();
        if (io::sniff(std::span(head.data(), *n)) == io::Compression::none) {
            if (options.index) {
                if (auto fast = index_tar_headers(*loc->file, loc->offset, e.size, options)) return std::move(*fast);
            } else {
                if (auto fast = walk_plain_ustar(*loc->file, loc->offset, e.size, options)) return std::move(*fast);
                return walk_tar_headers(*loc->file, loc->offset, e.size, options);
            }
        }
    }
    auto r = loc->file->range(loc->offset, e.size);
    io::ProgressReader counting(*r, m_options.progress);
    auto stats = scan_blob(counting, options, stager.get());
    counted = counting.count();
    return stats;
}

}  // namespace tarsier::archive
