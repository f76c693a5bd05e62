#include "archive/blob_scan.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "archive/layer_size.hpp"
#include "io/chunk_pipe.hpp"
#include "io/gzip_estimate.hpp"
#include "archive/tar_reader.hpp"

namespace tarsier::archive {

using util::ErrorKind;
using util::fail;
using util::Result;

util::Error name_too_long(std::string_view name, std::size_t length) {
    std::string_view shown = name.substr(0, 64);
    return util::make_error(ErrorKind::limit, "",
                            fmt::format("entry '{}{}': a name or link target of {} bytes, over the limit of {} "
                                        "bytes",
                                        shown, shown.size() < name.size() ? "..." : "", length, kMaxNameLength));
}

void FileStager::entry(std::uint32_t, const IndexEntry&, const TarHeader&,
                       const std::vector<std::pair<std::string, std::string>>&) {}

bool ScanOptions::satisfied_by(const ScanOptions& have) const {
    if (raw_digest && have.raw_digest != raw_digest) return false;
    if (diff_id && !have.diff_id) return false;
    if (walk_tar && !have.walk_tar) return false;
    if (estimate_gzip && !have.estimate_gzip) return false;
    // Any index has the metadata an index without content digests holds.
    if (index && (!have.index || (index != ContentDigest::none && have.index != index))) return false;
    // Content digests left to be computed on demand answer only who asked for that.
    if (index && index != ContentDigest::none && have.content_on_demand && !content_on_demand) return false;
    if (capture && (have.capture != capture || have.capture_max_bytes < capture_max_bytes)) return false;
    if (file_digests && !have.file_digests) return false;
    return true;  // `pipeline` changes how, not what
}

namespace {

/// Counts and optionally hashes the bytes read through it; remembers the first bytes so
/// that compression can be sniffed before decoding starts.
class TapReader final : public io::Reader {
public:
    TapReader(io::Reader& src, std::optional<digest::Algorithm> alg) : m_src(src) {
        if (alg) m_hasher.emplace(*alg);
    }

    /// Reads ahead up to `n` bytes, which later reads return again.
    Result<std::span<const std::uint8_t>> peek(std::size_t n) {
        m_head.resize(n);
        std::size_t got = 0;
        while (got < n) {
            auto r = m_src.read(std::span(m_head.data() + got, n - got));
            if (!r) return r.failure();
            if (*r == 0) break;
            got += *r;
        }
        m_head.resize(got);
        account(m_head);
        return std::span<const std::uint8_t>(m_head);
    }

    Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        if (m_head_pos < m_head.size()) {
            std::size_t n = std::min(buf.size(), m_head.size() - m_head_pos);
            std::copy_n(m_head.data() + m_head_pos, n, buf.data());
            m_head_pos += n;
            return n;
        }
        auto r = m_src.read(buf);
        if (!r) return r;
        account(buf.first(*r));
        return r;
    }

    [[nodiscard]] std::uint64_t count() const { return m_count; }
    std::optional<std::string> finish() {
        if (!m_hasher) return std::nullopt;
        return m_hasher->finish();
    }
    /// Starts estimating the gzip size, from the first byte on.
    void estimate_gzip() {
        m_estimator = std::make_unique<io::GzipSizeEstimator>();
        m_estimator->update(m_head);
    }
    std::optional<std::uint64_t> gzip_estimate() {
        if (!m_estimator) return std::nullopt;
        return m_estimator->estimate();
    }

private:
    void account(std::span<const std::uint8_t> bytes) {
        m_count += bytes.size();
        if (m_hasher) m_hasher->update(bytes);
        if (m_estimator) m_estimator->update(bytes);
    }
    std::unique_ptr<io::GzipSizeEstimator> m_estimator;
    io::Reader& m_src;
    std::optional<digest::Hasher> m_hasher;
    std::vector<std::uint8_t> m_head;
    std::size_t m_head_pos = 0;
    std::uint64_t m_count = 0;
};

/// Counts and optionally hashes decoded bytes, enforcing the bomb limits.
class DecodedTap final : public io::Reader {
public:
    DecodedTap(io::Reader& src, std::function<std::uint64_t()> raw_count, const ScanOptions& opt)
        : m_src(src), m_raw_count(std::move(raw_count)), m_opt(opt) {
        if (opt.diff_id) m_hasher.emplace(digest::Algorithm::sha256);
    }

    Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        auto r = m_src.read(buf);
        if (!r) return r;
        m_count += *r;
        if (m_hasher) m_hasher->update(buf.first(*r));
        if (m_count > m_opt.max_layer_size)
            return fail(ErrorKind::limit, "",
                        fmt::format("decoded layer exceeds the size limit of {} bytes (--max-layer-size)",
                                    m_opt.max_layer_size));
        if (m_opt.max_ratio != 0 && m_count > (std::uint64_t{64} << 20) &&
            m_count / std::max<std::uint64_t>(1, m_raw_count()) > m_opt.max_ratio)
            return fail(ErrorKind::limit, "",
                        fmt::format("decoded layer exceeds {}x its compressed size (--max-ratio)", m_opt.max_ratio));
        return r;
    }

    [[nodiscard]] std::uint64_t count() const { return m_count; }
    std::optional<std::string> finish() {
        if (!m_hasher) return std::nullopt;
        return m_hasher->finish();
    }

private:
    io::Reader& m_src;
    std::function<std::uint64_t()> m_raw_count;
    const ScanOptions& m_opt;
    std::optional<digest::Hasher> m_hasher;
    std::uint64_t m_count = 0;
};

/// Counts the decoded bytes the tar reader takes and remembers whether the decoder below
/// failed, so that walk() can tell a tar that stops early from a broken stream.
class WatchedReader final : public io::Reader {
public:
    explicit WatchedReader(io::Reader& src) : m_src(src) {}
    Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        auto r = m_src.read(buf);
        if (!r) m_failed = true;
        else m_count += *r;
        return r;
    }
    [[nodiscard]] std::uint64_t count() const { return m_count; }
    [[nodiscard]] bool failed() const { return m_failed; }

private:
    io::Reader& m_src;
    std::uint64_t m_count = 0;
    bool m_failed = false;
};

/// The index limits of `options` after one more entry, `h`, the `entries`th: a `limit`
/// error beyond them.
Result<void> count_indexed(const TarHeader& h, std::uint64_t entries, std::uint64_t& name_bytes,
                           const ScanOptions& options) {
    name_bytes += h.path.size() + h.link.size();
    if (entries > options.max_index_entries)
        return fail(ErrorKind::limit, "",
                    fmt::format("layer has more than {} entries to index (--max-entries)", options.max_index_entries));
    if (name_bytes > options.max_index_name_bytes)
        return fail(ErrorKind::limit, "",
                    fmt::format("layer's names and link targets exceed {} bytes (--max-entries)",
                                options.max_index_name_bytes));
    return {};
}

/// Whether an index asked for by `options` needs the files' bytes.
bool reads_data(const ScanOptions& options) {
    return options.index != ContentDigest::none || options.capture || options.file_digests;
}

/// Walks the tar in `decoded`, then reads what follows its end (eStargz keeps its table of
/// contents after the end-of-archive blocks, and the diff_id covers it).
Result<void> walk(io::Reader& decoded, BlobStats& stats, const ScanOptions& options, FileStager* stager) {
    if (options.walk_tar || options.index) {
        WatchedReader watched(decoded);
        auto tar = TarReader::open(watched, false);
        if (!tar) return tar.failure();
        bool have_entry = false;
        std::uint64_t name_bytes = 0;  // names and link targets held by the index
        std::uint64_t data_end = 0;  // where the last entry's data ends in the decoded stream
        LayerSizer sizer;
        std::optional<LayerIndexBuilder> builder;
        std::vector<std::uint8_t> buf;
        // The bytes of an uncompressed blob can be read again where they lie: with
        // content_on_demand, its index is one without content digests.
        const bool on_demand = options.index && options.content_on_demand && stats.compression == io::Compression::none;
        ScanOptions indexing = options;
        if (on_demand) indexing.index = ContentDigest::none;
        const bool reads = reads_data(indexing);
        // Only a decoded layer is staged: an uncompressed one is read where it lies.
        if (!options.index || stats.compression == io::Compression::none) stager = nullptr;
        if (options.index) {
            builder.emplace(*indexing.index);
            if (on_demand) builder->record_data_offsets();
            if (options.capture) builder->capture(options.capture, options.capture_max_bytes);
            if (options.file_digests) builder->compute_file_digests();
            buf.resize(256 * 1024);
        }
        TarHeader h;
        for (;;) {
            auto more = (*tar)->next(h);
            if (!more) {
                // A layer that ends without its end-of-archive blocks (or inside the
                // last entry's padding) is read as far as it goes, as GNU tar and Docker
                // do; its diff_id still covers exactly the bytes there are. One that ends
                // inside a header or inside an entry's data is damaged (a size field that
                // promises more than there is, e.g. a base-256 2^62), and so is a
                // compressed stream that ends early.
                if (more.error().kind != ErrorKind::truncated || watched.failed()) return more.failure();
                if (have_entry && watched.count() < data_end)
                    return fail(ErrorKind::truncated, "",
                                fmt::format("layer ends inside the data of '{}' ({} of its {} bytes are missing)",
                                            h.path, data_end - watched.count(), h.size));
                if (!have_entry || watched.count() > (data_end + 511) / 512 * 512)
                    return fail(ErrorKind::truncated, "", "layer ends inside a tar header");
                stats.tar_incomplete = true;
                break;
            }
            if (!*more) break;
            if (h.path.size() > kMaxNameLength || h.link.size() > kMaxNameLength)
                return util::Failure{name_too_long(h.path, std::max(h.path.size(), h.link.size()))};
            have_entry = true;
            data_end = (*tar)->data_offset() + (h.type == '0' ? h.size : 0);
            ++stats.entry_count;
            if (builder)
                if (auto limits = count_indexed(h, stats.entry_count, name_bytes, options); !limits) return limits;
            if (!builder) sizer.add(h);  // an index gives the size at the end, in less memory
            if (builder) {
                builder->begin(h, (*tar)->data_offset());
                bool staging = false;
                const auto ordinal = stager ? builder->current_ordinal() : std::nullopt;
                if (ordinal && h.type == '0') staging = stager->begin(*ordinal, h, (*tar)->xattr_values());
                if (h.type == '0' && (reads || staging) && !h.sparse) {
                    // Where libarchive holds the bytes: no copy.
                    std::span<const std::uint8_t> block;
                    for (;;) {
                        auto more = (*tar)->read_block(block);
                        if (!more) return more.failure();
                        if (!*more) break;
                        if (reads) builder->data(block);
                        if (staging) stager->data(block);
                    }
                } else if (h.type == '0' && (reads || staging)) {
                    for (;;) {  // holes read as zeros
                        auto n = (*tar)->read_data(buf);
                        if (!n) return n.failure();
                        if (*n == 0) break;
                        std::span<const std::uint8_t> bytes(buf.data(), *n);
                        if (reads) builder->data(bytes);
                        if (staging) stager->data(bytes);
                    }
                }
                if (staging) stager->end();
                builder->end();
                if (ordinal) stager->entry(*ordinal, builder->last_entry(), h, (*tar)->xattr_values());
            }
        }
        if (builder) {
            stats.index = builder->finish();
            stats.content_size = layer_size(*stats.index);
        } else {
            stats.content_size = sizer.total();
        }
    }
    auto rest = io::drain(decoded);
    if (!rest) return rest.failure();
    // Only now: a stream that fails after the tar's end (a cut gzip trailer) is no tar.
    stats.is_tar = options.walk_tar || options.index;
    return {};
}

/// Decodes, hashes and walks the decoded stream of `source` into `stats`.
/// `raw_count` tells how many raw bytes the decoder has consumed (for the ratio limit).
/// Hashes (per `tap_options`) and walks the decoded bytes in `decoded` into `stats`.
void hash_and_walk(io::Reader& decoded, std::function<std::uint64_t()> raw_count, const ScanOptions& tap_options,
                   const ScanOptions& options, BlobStats& stats, FileStager* stager) {
    DecodedTap tap(decoded, std::move(raw_count), tap_options);
    auto walked = walk(tap, stats, options, stager);
    if (walked) {
        stats.diff_id = tap.finish();
        stats.uncompressed_size = tap.count();
    } else {
        stats.decode_error = walked.error();
        // A damaged tar header in a compressed layer is often the first sign of a corrupt
        // stream that the decoder notices only further on: read on (within the limits) and
        // name the stream's fault when there is one, not its symptom.
        if (stats.compression != io::Compression::none && walked.error().kind == ErrorKind::malformed) {
            auto rest = io::drain(tap);
            if (!rest && rest.error().kind != ErrorKind::limit) stats.decode_error = rest.error();
        }
    }
}

void decode_side(io::Reader& source, std::function<std::uint64_t()> raw_count, const ScanOptions& options,
                 bool same_bytes, BlobStats& stats, FileStager* stager) {
    auto decoder = io::make_decoder(stats.compression, source);
    ScanOptions decoded_options = options;
    if (same_bytes) decoded_options.diff_id = false;
    hash_and_walk(*decoder, std::move(raw_count), decoded_options, options, stats, stager);
}

}  // namespace

Result<BlobStats> scan_blob(io::Reader& raw, const ScanOptions& options, FileStager* stager) {
    BlobStats stats;
    stats.options = options;
    stats.options.stager = nullptr;  // what was computed, not who was handed the files (it may not outlive the scan)
    TapReader tap(raw, options.raw_digest);
    auto head = tap.peek(512);
    if (!head) return head.failure();
    stats.compression = io::sniff(*head);
    if (options.estimate_gzip && stats.compression == io::Compression::none) tap.estimate_gzip();

    const bool decode = options.diff_id || options.walk_tar || options.index.has_value();
    // An uncompressed blob's diff_id is its own SHA-256: hash it once.
    const bool same_bytes = stats.compression == io::Compression::none && options.diff_id &&
                            options.raw_digest == digest::Algorithm::sha256;
    if (decode && options.pipeline) {
        // Stages on separate threads: this one reads and hashes the raw bytes; a compressed
        // blob is decoded on a second and its decoded bytes hashed and walked on a third
        // (an uncompressed one is walked on the second). The pipes hold a few MiB at most.
        io::ChunkPipe pipe(8, 1 << 20);
        std::thread consumer;
        if (stats.compression == io::Compression::none) {
            consumer = std::thread([&] {
                io::PipeReader pr(pipe);
                decode_side(pr, [&pr] { return pr.count(); }, options, same_bytes, stats, stager);
                pipe.abandon();  // whatever remains is only hashed
            });
        } else {
            consumer = std::thread([&] {
                io::PipeReader pr(pipe);
                auto decoder = io::make_decoder(stats.compression, pr);
                // The bomb limits and the diff_id on the decoder's side: the walk is the
                // longer stage.
                DecodedTap limited(*decoder, [&pr] { return pr.count(); }, options);
                {
                    io::ReadAhead decoded(limited, std::max<std::size_t>(1, options.decode_ahead));  // the decoder's own thread
                    ScanOptions walking = options;
                    walking.max_ratio = 0;  // checked on the decoder's side
                    walking.diff_id = false;
                    hash_and_walk(decoded, [] { return std::uint64_t{0}; }, walking, options, stats, stager);
                }
                // The walk read the stream to its end (or failed): the hash is complete.
                if (!stats.decode_error) stats.diff_id = limited.finish();
                pipe.abandon();  // whatever remains is only hashed
            });
        }
        auto pumped = io::pump(tap, pipe);
        pipe.close();
        consumer.join();
        if (!pumped) return pumped.failure();
    } else if (decode) {
        decode_side(tap, [&tap] { return tap.count(); }, options, same_bytes, stats, stager);
        // An error from the raw source itself is not a decoding problem.
        if (stats.decode_error && stats.decode_error->kind == ErrorKind::unreadable) return util::Failure{*stats.decode_error};
    }
    auto rest = io::drain(tap);
    if (!rest) return rest.failure();
    stats.size = tap.count();
    stats.digest = tap.finish();
    if (same_bytes && !stats.decode_error) stats.diff_id = stats.digest;
    stats.gzip_estimate = tap.gzip_estimate();
    return stats;
}

std::optional<Result<BlobStats>> index_tar_headers(const io::FileSource& file, std::uint64_t offset,
                                                   std::uint64_t length, const ScanOptions& options) {
    if (!options.index || reads_data(options)) return std::nullopt;
    auto tar = TarReader::open_range(file, offset, length);
    if (!tar) {
        if (tar.error().kind == ErrorKind::unreadable) return Result<BlobStats>(tar.failure());
        return std::nullopt;
    }
    BlobStats stats;
    stats.options = options;
    stats.size = length;
    stats.uncompressed_size = length;
    LayerIndexBuilder builder(*options.index);
    builder.record_data_offsets();  // a second pass reads each file's bytes at their place
    std::uint64_t name_bytes = 0;
    TarHeader h;
    for (;;) {
        auto more = (*tar)->next(h);
        if (!more) {
            if (more.error().kind == ErrorKind::unreadable) return Result<BlobStats>(more.failure());
            return std::nullopt;  // damaged or cut: the scan of the bytes says precisely how
        }
        if (!*more) break;
        if (h.path.size() > kMaxNameLength || h.link.size() > kMaxNameLength) return std::nullopt;
        ++stats.entry_count;
        if (auto limits = count_indexed(h, stats.entry_count, name_bytes, options); !limits) {
            stats.decode_error = limits.error();
            return Result<BlobStats>(std::move(stats));
        }
        builder.begin(h, (*tar)->data_offset());
        builder.end();
    }
    stats.is_tar = true;
    stats.index = builder.finish();
    stats.content_size = layer_size(*stats.index);
    return Result<BlobStats>(std::move(stats));
}

Result<BlobStats> walk_tar_headers(const io::FileSource& file, std::uint64_t offset, std::uint64_t length,
                                   const ScanOptions& options) {
    BlobStats stats;
    stats.options = options;
    stats.size = length;
    stats.uncompressed_size = length;
    auto tar = TarReader::open_range(file, offset, length);
    if (!tar) {
        if (tar.error().kind == ErrorKind::unreadable) return tar.failure();
        stats.decode_error = tar.error();
        return stats;
    }
    LayerSizer sizer;
    TarHeader h;
    for (;;) {
        auto more = (*tar)->next(h);
        if (!more) {
            if (more.error().kind == ErrorKind::unreadable) return more.failure();
            stats.decode_error = more.error();
            return stats;
        }
        if (!*more) break;
        if (h.path.size() > kMaxNameLength || h.link.size() > kMaxNameLength) {
            stats.decode_error = name_too_long(h.path, std::max(h.path.size(), h.link.size()));
            return stats;
        }
        ++stats.entry_count;
        sizer.add(h);
    }
    stats.is_tar = true;
    stats.content_size = sizer.total();
    return stats;
}

}  // namespace tarsier::archive
