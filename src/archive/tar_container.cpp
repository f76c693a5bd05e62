// Outer tar archives: a seekable file is indexed once (headers only, data skipped) and
// entries are read later by position; a stream is read once, keeping small documents and
// scanning every other file as it passes.

#include <fmt/format.h>

#include "archive/container.hpp"
#include "archive/layer_size.hpp"
#include "archive/tar_reader.hpp"
#include "digest/digest.hpp"
#include "io/file_source.hpp"
#include "io/progress_reader.hpp"
#include "util/path.hpp"
#include "util/strings.hpp"

namespace tarsier::archive {

using util::ErrorKind;
using util::fail;
using util::Result;

namespace {

EntryType entry_type(char t) {
    switch (t) {
        case '0': return EntryType::regular;
        case '5': return EntryType::directory;
        case '2': return EntryType::symlink;
        case '1': return EntryType::hardlink;
        default: return EntryType::other;
    }
}

/// Whether bytes look like the start of a JSON document (or the literal null).
bool looks_like_json(std::span<const std::uint8_t> head) {
    for (auto c : head) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        return c == '{' || c == '[' || c == 'n';
    }
    return false;
}

/// What went wrong with the tar header that should start at byte `offset` of the tar
/// stream: a cut ("file ends inside the tar header at byte N") or libarchive's reason.
std::string header_damage(const util::Error& e, std::uint64_t offset, const std::string& compression) {
    if (e.kind == ErrorKind::truncated) {
        if (!compression.empty()) return fmt::format("{} (reading the tar header at byte {})", e.what, offset);
        return fmt::format("file ends inside the tar header at byte {} ({})", offset, e.what);
    }
    return fmt::format("tar header at byte {}: {}", offset, e.what);
}

/// The failure for input that libarchive does not recognise as a tar at all.
util::Failure not_a_tar(const util::Error& e) {
    if (e.kind == ErrorKind::truncated) return fail(e.at("before the first entry"));
    if (e.kind == ErrorKind::unreadable) return fail(e);
    if (e.what.starts_with("not a tar archive")) return fail(ErrorKind::not_image, "", e.what);
    return fail(ErrorKind::not_image, "", "not a tar archive (" + e.what + ")");
}

/// Hashes every byte read through it (OpenOptions::input_digest, for a stream).
class InputHasher final : public io::Reader {
public:
    explicit InputHasher(io::Reader& src) : m_src(src) {}
    Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        auto n = m_src.read(buf);
        if (n) {
            m_hasher.update(buf.first(*n));
            m_bytes += *n;
        }
        return n;
    }
    /// Reads the rest of the input (what follows the tar's end) and returns its digest and
    /// size; nullopt when the input could not be read to its end.
    std::optional<std::pair<std::string, std::uint64_t>> finish() {
        std::vector<std::uint8_t> buf(1 << 16);
        for (;;) {
            auto n = read(buf);
            if (!n) return std::nullopt;
            if (*n == 0) break;
        }
        return std::pair{m_hasher.finish(), m_bytes};
    }

private:
    io::Reader& m_src;
    digest::Hasher m_hasher;
    std::uint64_t m_bytes = 0;
};

class TarContainer final : public Container {
public:
    TarContainer(std::string path, std::shared_ptr<io::FileSource> file, bool streamed)
        : Container(std::move(path), streamed ? Packaging::tar_stream : Packaging::tar_file), m_file(std::move(file)) {}

    Result<void> load(const OpenOptions& options) {
        m_options = options;
        // A stream: every file is captured or scanned as it passes.
        const bool sequential = packaging() == Packaging::tar_stream;
        // A file is hashed beside everything else, from now on.
        if (options.input_digest && !sequential) hash_input_beside(m_file);
        std::unique_ptr<io::Reader> stream;
        std::optional<InputHasher> hashing;
        std::unique_ptr<TarReader> tar;
        if (!sequential) {
            auto t = TarReader::open_range(*m_file, 0, m_file->size());
            if (!t) return not_a_tar(t.error());
            tar = std::move(*t);
        } else {
            const bool file = packaging() == Packaging::tar_file;
            stream = file ? m_file->range(0, m_file->size()) : m_file->stream();
            io::Reader* source = stream.get();
            if (options.input_digest) source = &hashing.emplace(*stream);
            auto t = TarReader::open(*source, !file);
            if (!t) return not_a_tar(t.error());
            tar = std::move(*t);
        }
        TarHeader h;
        // Where the next header starts in the (decoded) tar stream, and the entry before it:
        // what an error about a damaged or cut header names.
        std::uint64_t next_header = 0;
        std::string previous;
        for (std::size_t index = 0;; ++index) {
            auto more = tar->next(h);
            if (!more) {
                if (index == 0) return not_a_tar(more.error());
                auto where = fmt::format("after entry {} ({})", index, util::escape_for_display(previous));
                auto err = more.error().at(where);
                err.what = header_damage(more.error(), next_header, tar->compression());
                if (!options.tolerate_damage) return fail(err);
                // Keep what was read; the caller reports the damage.
                add_finding(more.error().kind == ErrorKind::truncated ? "archive-truncated" : "archive-damaged", where,
                            more.error().what);
                m_damaged = true;
                break;
            }
            if (!*more) {
                if (index == 0 && packaging() == Packaging::tar_stream && tar->raw_bytes() == 0)
                    return fail(ErrorKind::not_image, "", "empty input (no bytes at all)");
                break;
            }
            if (index == 0) m_outer_compression = tar->compression();
            previous = h.path;
            next_header = tar->data_offset() + (h.type == '0' ? (h.size + 511) / 512 * 512 : 0);
            if (h.path.size() > kMaxNameLength || h.link.size() > kMaxNameLength) {
                add_finding("entry-name-too-long", util::escape_for_display(h.path.substr(0, 64)) + "...",
                            fmt::format("entry name or link target longer than {} bytes; ignored", kMaxNameLength));
                continue;
            }
            Entry e;
            e.raw_name = h.path;
            auto name = util::clean_path_in_root(h.path);
            if (!name) {
                add_finding("entry-escapes-root", util::escape_for_display(h.path), "entry name leaves the archive root; ignored");
                continue;
            }
            if (name->empty()) continue;  // the root directory itself
            e.name = *name;
            e.type = entry_type(h.type);
            e.size = h.size;
            e.link = h.link;
            e.offset = tar->data_offset();
            if (packaging() == Packaging::tar_file && e.offset + e.size > m_file->size()) {
                std::string where = "entry " + util::escape_for_display(h.path);
                std::string what = fmt::format("file ends inside this entry ({} of its {} bytes, from byte {}, are there)",
                                               m_file->size() - std::min(m_file->size(), e.offset), e.size, e.offset);
                if (!options.tolerate_damage) return fail(ErrorKind::truncated, where, what);
                add_finding("archive-truncated", where, what);
                m_damaged = true;
                break;
            }
            if (sequential && e.type == EntryType::regular) {
                auto r = capture(*tar, e, options);
                if (!r) {
                    auto err = r.error().at("entry " + util::escape_for_display(h.path));
                    if (err.kind == ErrorKind::truncated)
                        err.what = fmt::format("the stream ends inside this entry's {} bytes from byte {} ({})", e.size,
                                               e.offset, r.error().what);
                    if (!options.tolerate_damage || r.error().kind == ErrorKind::limit) return fail(err);
                    add_finding(r.error().kind == ErrorKind::truncated ? "archive-truncated" : "archive-damaged", err.where,
                                err.what);
                    m_damaged = true;
                    break;
                }
            }
            add_entry(std::move(e));
        }
        if (packaging() == Packaging::tar_file && m_entries.empty() && m_file->size() == 0)
            return fail(ErrorKind::not_image, "", "empty file");
        if (hashing) {
            tar.reset();  // what it read ahead has been hashed; the rest is read below
            if (auto done = hashing->finish()) {
                m_input_sha256 = std::move(done->first);
                m_input_size = done->second;
            }
        }
        if (m_file->seekable()) {
            // A regular file (compressed or not) can be read again as a whole: a bare layer.
            Entry whole;
            whole.name = whole.raw_name = path();
            whole.size = m_file->size();
            m_whole = std::move(whole);
        }
        return {};
    }

    Result<Location> locate(const Entry& e) const override {
        if (m_whole && &e == &*m_whole) return Location{m_file, 0};
        if (packaging() == Packaging::tar_stream)
            return fail(ErrorKind::usage, e.raw_name, "a stream cannot be read twice");
        return Location{m_file, e.offset};
    }

private:
    /// While streaming: keep JSON documents, scan everything else.
    Result<void> capture(TarReader& tar, Entry& e, const OpenOptions& options) {
        TarEntryReader data(tar);
        std::vector<std::uint8_t> head(std::min<std::uint64_t>(e.size, 64));
        std::size_t got = 0;
        while (got < head.size()) {
            auto n = data.read(std::span(head.data() + got, head.size() - got));
            if (!n) return n.failure();
            if (*n == 0) break;
            got += *n;
        }
        head.resize(got);
        if (e.size <= options.max_document_size && (looks_like_json(head) || e.size <= 4096)) {
            std::string content(head.begin(), head.end());
            auto rest = io::read_all(data, options.max_document_size);
            if (!rest) return rest.failure();
            content += *rest;
            e.content = std::move(content);
            return {};
        }
        io::MemoryReader first{std::span<const std::uint8_t>(head)};
        ChainReader chain(first, data);
        ScanOptions scan = options.stream_scan;
        scan.pipeline = true;  // a stream is read once, blob after blob: use the second core within each
        scan.content_on_demand = false;  // nothing of a stream can be read again
        if (scan.raw_digest)
            if (auto named = digest::parse_blob_path(e.name); named && named->verifiable())
                scan.raw_digest = named->verifiable_algorithm();
        // A stream's total is unknown: the progress shows bytes read and the rate.
        if (options.progress) options.progress->begin(e.name);
        io::ProgressReader counting(chain, options.progress);
        auto stats = scan_blob(counting, scan);
        if (!stats) return stats.failure();
        e.stats = std::move(*stats);
        return {};
    }

    /// Reads one reader, then another.
    class ChainReader final : public io::Reader {
    public:
        ChainReader(io::Reader& a, io::Reader& b) : m_a(a), m_b(b) {}
        Result<std::size_t> read(std::span<std::uint8_t> buf) override {
            if (!m_a_done) {
                auto n = m_a.read(buf);
                if (!n || *n > 0) return n;
                m_a_done = true;
            }
            return m_b.read(buf);
        }

    private:
        io::Reader& m_a;
        io::Reader& m_b;
        bool m_a_done = false;
    };

    std::shared_ptr<io::FileSource> m_file;
    bool m_damaged = false;
};


Result<std::unique_ptr<Container>> open_tar_source(const std::string& path, std::shared_ptr<io::FileSource> file,
                                                    const OpenOptions& options) {
    bool streamed = !file->seekable();
    if (!streamed) {
        // A compressed outer archive is read as a stream, once.
        std::array<std::uint8_t, 8> head{};
        auto n = file->pread(0, head);
        if (!n) return fail(n.error().in_file(path));
        if (io::sniff(std::span(head.data(), *n)) != io::Compression::none) streamed = true;
        if (*n == 0) return fail(util::make_error(ErrorKind::not_image, "", "empty file").in_file(path));
    }
    auto c = std::make_unique<TarContainer>(path, std::move(file), streamed);
    auto r = c->load(options);
    if (!r) return fail(r.error().in_file(path));
    return std::unique_ptr<Container>(std::move(c));
}

}  // namespace

Result<std::unique_ptr<Container>> open_tar_container(const std::string& path, const OpenOptions& options) {
    auto file = io::FileSource::open(path);
    if (!file) return fail(file.error().in_file(path));
    return open_tar_source(path, std::move(*file), options);
}

Result<std::unique_ptr<Container>> open_container_bytes(const std::string& name, std::string_view bytes,
                                                        const OpenOptions& options) {
    auto file = io::FileSource::from_bytes(name, bytes);
    if (!file) return fail(file.error().in_file(name));
    return open_tar_source(name, std::move(*file), options);
}

}  // namespace tarsier::archive
