#include "archive/blob_scan.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "archive/layer_size.hpp"
#include "io/gzip_estimate.hpp"
#include "archive/tar_reader.hpp"

namespace tarsier::archive {

using util::ErrorKind;
using util::fail;
using util::Result;

bool ScanOptions::satisfied_by(const ScanOptions& have) const {
    if (raw_digest && have.raw_digest != raw_digest) return false;
    if (diff_id && !have.diff_id) return false;
    if (walk_tar && !have.walk_tar) return false;
    if (estimate_gzip && !have.estimate_gzip) return false;
    return true;
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
    DecodedTap(io::Reader& src, const TapReader& raw, const ScanOptions& opt)
        : m_src(src), m_raw(raw), m_opt(opt) {
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
            m_count / std::max<std::uint64_t>(1, m_raw.count()) > m_opt.max_ratio)
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
    const TapReader& m_raw;
    const ScanOptions& m_opt;
    std::optional<digest::Hasher> m_hasher;
    std::uint64_t m_count = 0;
};

/// The error for a stream that does not even start like a tar.
util::Error not_a_tar(const util::Error& e) {
    if (e.kind != ErrorKind::malformed) return e;
    return util::make_error(ErrorKind::malformed, e.where, "not a tar archive (" + e.what + ")");
}

/// Walks the tar in `decoded`, then reads what follows its end (eStargz keeps its table of
/// contents after the end-of-archive blocks, and the diff_id covers it).
Result<void> walk(io::Reader& decoded, BlobStats& stats, bool walk_tar) {
    if (walk_tar) {
        auto tar = TarReader::open(decoded, false);
        if (!tar) return fail(not_a_tar(tar.error()));
        LayerSizer sizer;
        TarHeader h;
        for (;;) {
            auto more = (*tar)->next(h);
            if (!more) return more.failure();
            if (!*more) break;
            ++stats.entry_count;
            sizer.add(h);
        }
        stats.is_tar = true;
        stats.content_size = sizer.total();
    }
    auto rest = io::drain(decoded);
    if (!rest) return rest.failure();
    return {};
}

}  // namespace

Result<BlobStats> scan_blob(io::Reader& raw, const ScanOptions& options) {
    BlobStats stats;
    stats.options = options;
    TapReader tap(raw, options.raw_digest);
    auto head = tap.peek(512);
    if (!head) return head.failure();
    stats.compression = io::sniff(*head);
    if (options.estimate_gzip && stats.compression == io::Compression::none) tap.estimate_gzip();

    const bool decode = options.diff_id || options.walk_tar;
    // An uncompressed blob's diff_id is its own SHA-256: hash it once.
    const bool same_bytes = stats.compression == io::Compression::none && options.diff_id &&
                            options.raw_digest == digest::Algorithm::sha256;
    if (decode) {
        auto decoder = io::make_decoder(stats.compression, tap);
        ScanOptions decoded_options = options;
        if (same_bytes) decoded_options.diff_id = false;
        DecodedTap decoded(*decoder, tap, decoded_options);
        auto walked = walk(decoded, stats, options.walk_tar);
        if (walked) {
            stats.diff_id = decoded.finish();
            stats.uncompressed_size = decoded.count();
        } else {
            stats.decode_error = walked.error();
            // An error from the raw source itself is not a decoding problem.
            if (walked.error().kind == ErrorKind::unreadable) return walked.failure();
        }
    }
    auto rest = io::drain(tap);
    if (!rest) return rest.failure();
    stats.size = tap.count();
    stats.digest = tap.finish();
    if (same_bytes && !stats.decode_error) stats.diff_id = stats.digest;
    stats.gzip_estimate = tap.gzip_estimate();
    return stats;
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
        stats.decode_error = not_a_tar(tar.error());
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
        ++stats.entry_count;
        sizer.add(h);
    }
    stats.is_tar = true;
    stats.content_size = sizer.total();
    return stats;
}

}  // namespace tarsier::archive
