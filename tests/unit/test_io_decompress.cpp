#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include "zlib_gzip.hpp"
#include <zstd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "digest/digest.hpp"
#include "io/chunk_pipe.hpp"
#include "io/decompress.hpp"
#include "io/reader.hpp"

using namespace tarsier::io;
using tarsier::util::ErrorKind;
using tarsier::util::Result;

namespace {

std::span<const std::uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// Hands out at most `step` bytes per read, to put buffer boundaries everywhere.
class ChunkedReader final : public Reader {
public:
    ChunkedReader(std::string_view bytes, std::size_t step) : m_bytes(bytes), m_step(step) {}
    Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        std::size_t n = std::min({buf.size(), m_step, m_bytes.size() - m_pos});
        std::copy_n(m_bytes.data() + m_pos, n, reinterpret_cast<char*>(buf.data()));
        m_pos += n;
        return n;
    }
    [[nodiscard]] std::size_t position() const { return m_pos; }

private:
    std::string_view m_bytes;
    std::size_t m_step;
    std::size_t m_pos = 0;
};

/// Fails every read: an I/O error in the source.
class BrokenReader final : public Reader {
public:
    Result<std::size_t> read(std::span<std::uint8_t>) override {
        return tarsier::util::fail(ErrorKind::unreadable, "", "disk on fire");
    }
};

/// Reads `r` to its end through an output buffer of `out_step` bytes.
Result<std::string> decode_all(Reader& r, std::size_t out_step) {
    std::string out;
    std::vector<std::uint8_t> buf(out_step);
    for (;;) {
        auto n = r.read(buf);
        if (!n) return n.failure();
        if (*n == 0) return out;
        out.append(reinterpret_cast<const char*>(buf.data()), *n);
    }
}

/// Text-like data (compresses well) followed by pseudo-random bytes (does not), so that the
/// compressed stream spans several 256 KiB input buffers.
std::string sample_data(std::size_t text_bytes, std::size_t random_bytes) {
    std::string out;
    std::uint64_t x = 0x9e3779b97f4a7c15ULL;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    static const char* const kWords[] = {"layer ", "manifest ", "blob ", "digest ", "tar ", "whiteout\n"};
    while (out.size() < text_bytes) {
        out += kWords[next() % 6];
        out += std::to_string(next() % 1000);
    }
    out.resize(text_bytes);
    for (std::size_t i = 0; i < random_bytes; ++i) out.push_back(static_cast<char>(next() & 0xff));
    return out;
}

using tarsier::test::gzip;

/// zstd with the reference encoder; `checksum` adds the XXH64 content checksum.
std::string zstd(std::string_view data, bool checksum = false) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    ZSTD_CCtx* c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum ? 1 : 0);
    std::size_t n = ZSTD_compress2(c, out.data(), out.size(), data.data(), data.size());
    ZSTD_freeCCtx(c);
    BOOST_REQUIRE(!ZSTD_isError(n));
    out.resize(n);
    return out;
}

/// A zstd skippable frame built by hand: magic 0x184D2A50 + nibble (LE), length (LE), payload.
std::string skippable_frame(std::string_view payload, std::uint8_t nibble = 0) {
    std::string f;
    const auto len = static_cast<std::uint32_t>(payload.size());
    for (std::uint8_t b : {std::uint8_t(0x50 | nibble), std::uint8_t(0x2a), std::uint8_t(0x4d), std::uint8_t(0x18)}) {
        f.push_back(static_cast<char>(b));
    }
    for (int i = 0; i < 4; ++i) f.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
    f.append(payload);
    return f;
}

std::vector<GzipBackend> gzip_backends() {
    std::vector<GzipBackend> b{GzipBackend::zlib};
    if (have_isal()) b.push_back(GzipBackend::isal);
    return b;
}

const char* name(GzipBackend b) { return b == GzipBackend::isal ? "isal" : "zlib"; }

Result<std::string> gunzip(std::string_view in, GzipBackend b, std::size_t in_step = SIZE_MAX,
                           std::size_t out_step = 1 << 20) {
    ChunkedReader src(in, in_step);
    auto dec = make_gzip_decoder(src, b);
    return decode_all(*dec, out_step);
}

Result<std::string> unzstd(std::string_view in, std::size_t in_step = SIZE_MAX, std::size_t out_step = 1 << 20) {
    ChunkedReader src(in, in_step);
    auto dec = make_zstd_decoder(src);
    return decode_all(*dec, out_step);
}

std::filesystem::path shared_dir() { return std::filesystem::path(TARSIER_SOURCE_ROOT "/../shared"); }

std::string slurp(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(io_reader)

BOOST_AUTO_TEST_CASE(memory_reader_hands_out_bytes_in_order) {
    MemoryReader r(std::string_view("hello, world"));
    std::uint8_t buf[5];
    auto n = r.read(buf);
    BOOST_REQUIRE(n.ok());
    BOOST_TEST(*n == 5u);
    BOOST_TEST(std::string(reinterpret_cast<char*>(buf), 5) == "hello");
    auto rest = read_all(r, 100);
    BOOST_REQUIRE(rest.ok());
    BOOST_TEST(*rest == ", world");
    auto end = r.read(buf);
    BOOST_REQUIRE(end.ok());
    BOOST_TEST(*end == 0u);
}

BOOST_AUTO_TEST_CASE(read_all_enforces_its_limit) {
    const std::string data = sample_data(300'000, 0);  // larger than read_all's first chunk
    MemoryReader exact(data);
    auto ok = read_all(exact, data.size());
    BOOST_REQUIRE(ok.ok());
    BOOST_TEST((*ok == data));

    MemoryReader over(data);
    auto r = read_all(over, data.size() - 1);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST((r.error().kind == ErrorKind::limit));

    MemoryReader empty(std::string_view{});
    auto z = read_all(empty, 0);
    BOOST_REQUIRE(z.ok());
    BOOST_TEST(z->empty());
    MemoryReader one(std::string_view("x"));
    BOOST_TEST(!read_all(one, 0).ok());
}

BOOST_AUTO_TEST_CASE(drain_counts_and_passes_errors_on) {
    const std::string data = sample_data(1'000'003, 0);
    ChunkedReader r(data, 77'777);
    auto n = drain(r);
    BOOST_REQUIRE(n.ok());
    BOOST_TEST(*n == data.size());
    BrokenReader broken;
    auto e = drain(broken);
    BOOST_REQUIRE(!e.ok());
    BOOST_TEST((e.error().kind == ErrorKind::unreadable));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(io_read_ahead)

namespace {

/// Gives `total` bytes (byte i is i % 251) in reads of at most `step`, then fails when
/// `fail_at_end`.
class Counting final : public tarsier::io::Reader {
public:
    Counting(std::size_t total, std::size_t step, bool fail_at_end) : m_total(total), m_step(step), m_fail(fail_at_end) {}
    tarsier::util::Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        if (m_pos == m_total) {
            if (m_fail) return tarsier::util::fail(tarsier::util::ErrorKind::malformed, "", "broken stream");
            return std::size_t{0};
        }
        std::size_t n = std::min({buf.size(), m_step, m_total - m_pos});
        for (std::size_t i = 0; i < n; ++i) buf[i] = static_cast<std::uint8_t>((m_pos + i) % 251);
        m_pos += n;
        return n;
    }

private:
    std::size_t m_total, m_step, m_pos = 0;
    bool m_fail;
};

}  // namespace

// The bytes come in order and whole, then the source's end or its error.
BOOST_AUTO_TEST_CASE(read_ahead_gives_the_stream_then_its_end_or_error) {
    for (bool broken : {false, true}) {
        Counting src(5 * (1 << 20) + 123, 70000, broken);
        tarsier::io::ReadAhead ahead(src);
        std::vector<std::uint8_t> buf(33333);
        std::size_t pos = 0;
        bool same = true;
        std::optional<tarsier::util::Error> error;
        for (;;) {
            auto n = ahead.read(buf);
            if (!n) {
                error = n.error();
                break;
            }
            if (*n == 0) break;
            for (std::size_t i = 0; i < *n; ++i) same = same && buf[i] == static_cast<std::uint8_t>((pos + i) % 251);
            pos += *n;
        }
        BOOST_TEST(same);
        BOOST_TEST(pos == 5u * (1 << 20) + 123);
        BOOST_TEST(error.has_value() == broken);
        if (error) BOOST_TEST(error->what == "broken stream");
    }
}

// A reader left before the end stops its thread (no hang, nothing leaked to the caller).
BOOST_AUTO_TEST_CASE(read_ahead_left_early_stops) {
    Counting src(std::size_t{1} << 34, 1 << 20, false);  // 16 GiB: never read to its end
    {
        tarsier::io::ReadAhead ahead(src);
        std::vector<std::uint8_t> buf(4096);
        BOOST_TEST(ahead.read(buf).ok());
    }
    BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(io_decompress)

BOOST_AUTO_TEST_CASE(sniff_reads_magic_bytes) {
    auto s = [](std::string_view h) { return sniff(bytes_of(h)); };
    BOOST_TEST((s("\x1f\x8b\x08") == Compression::gzip));
    BOOST_TEST((s("\x28\xb5\x2f\xfd") == Compression::zstd));
    BOOST_TEST((s("\x50\x2a\x4d\x18") == Compression::zstd));
    BOOST_TEST((s("\x5f\x2a\x4d\x18") == Compression::zstd));
    BOOST_TEST((s("\x60\x2a\x4d\x18") == Compression::none));
    BOOST_TEST((s("BZh9") == Compression::bzip2));
    BOOST_TEST((s(std::string_view("\xfd" "7zXZ\0", 6)) == Compression::xz));
    BOOST_TEST((s("\x1f") == Compression::none));
    BOOST_TEST((s("\x28\xb5\x2f") == Compression::none));
    BOOST_TEST((s("") == Compression::none));
    BOOST_TEST((s(std::string(512, '\0')) == Compression::none));
    BOOST_TEST(to_string(Compression::gzip) == "gzip");
    BOOST_TEST(to_string(Compression::none) == "none");
    BOOST_TEST(to_string(Compression::xz) == "xz");
}

BOOST_AUTO_TEST_CASE(decoder_for_none_passes_bytes_and_unsupported_fails) {
    MemoryReader src(std::string_view("plain tar bytes"));
    auto pass = make_decoder(Compression::none, src);
    auto all = read_all(*pass, 100);
    BOOST_REQUIRE(all.ok());
    BOOST_TEST(*all == "plain tar bytes");

    MemoryReader bz(std::string_view("BZh91AY&SY"));
    auto dec = make_decoder(Compression::bzip2, bz);
    std::uint8_t buf[16];
    auto r = dec->read(buf);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST((r.error().kind == ErrorKind::malformed));
    BOOST_TEST(r.error().what == "unsupported compression: bzip2");
}

BOOST_AUTO_TEST_CASE(gzip_round_trip_across_buffer_boundaries) {
    const std::string data = sample_data(1'500'000, 700'000);
    const std::string gz = gzip(data);
    BOOST_REQUIRE(gz.size() > 3 * detail::kDecoderInputSize);
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            auto out = gunzip(gz, b);
            BOOST_REQUIRE(out.ok());
            BOOST_TEST(out->size() == data.size());
            BOOST_TEST(tarsier::digest::sha256(*out) == tarsier::digest::sha256(data));
            // A source that hands out odd pieces, and a small output buffer.
            auto odd = gunzip(gz, b, 65'537, 4093);
            BOOST_REQUIRE(odd.ok());
            BOOST_TEST((*odd == data));
        }
    }
}

BOOST_AUTO_TEST_CASE(gzip_read_fills_the_whole_buffer) {
    const std::string data = sample_data(800'000, 100'000);
    const std::string gz = gzip(data) + gzip(data.substr(0, 1000));
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            MemoryReader src(gz);
            auto dec = make_gzip_decoder(src, b);
            std::vector<std::uint8_t> buf(data.size() + 1000 + 1);
            auto n = dec->read(buf);
            BOOST_REQUIRE(n.ok());
            BOOST_TEST(*n == data.size() + 1000);
        }
    }
}

BOOST_AUTO_TEST_CASE(gzip_multi_member_decodes_every_member) {
    const std::string a = sample_data(300'000, 50'000);
    const std::string b = "second member\n";
    const std::string gz = gzip(a, 1) + gzip(b, 9) + gzip("", 6);
    for (GzipBackend be : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(be)) {
            // Every source step puts the member boundary at a different place in the buffer,
            // including a gzip magic split across two reads.
            for (std::size_t step : {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(4096),
                                     std::size_t(SIZE_MAX)}) {
                BOOST_TEST_CONTEXT("source step " << step) {
                    auto out = gunzip(gz, be, step, step == 1 ? 997 : 1 << 20);
                    BOOST_REQUIRE(out.ok());
                    BOOST_TEST((*out == a + b));
                }
            }
        }
    }
}

// eStargz writes one member per file: many tiny members in a row.
BOOST_AUTO_TEST_CASE(gzip_many_small_members) {
    std::string gz, want;
    for (int i = 0; i < 500; ++i) {
        std::string part = "file " + std::to_string(i) + "\n";
        want += part;
        gz += gzip(part);
    }
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            auto out = gunzip(gz, b, 1000, 7);
            BOOST_REQUIRE(out.ok());
            BOOST_TEST((*out == want));
        }
    }
}

BOOST_AUTO_TEST_CASE(gzip_followed_by_zero_padding_ends_at_the_padding) {
    const std::string data = sample_data(100'000, 1000);
    const std::string gz = gzip(data) + std::string(10'240, '\0');
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            for (std::size_t step : {std::size_t(1), std::size_t(5000), std::size_t(SIZE_MAX)}) {
                auto out = gunzip(gz, b, step);
                BOOST_REQUIRE(out.ok());
                BOOST_TEST((*out == data));
            }
            // Not a gzip header either: one stray byte after the member.
            auto one = gunzip(gzip(data) + "\x1f", b);
            BOOST_REQUIRE(one.ok());
            BOOST_TEST((*one == data));
        }
    }
}

BOOST_AUTO_TEST_CASE(gzip_padding_is_left_in_the_source) {
    const std::string data = "small";
    const std::string gz = gzip(data);
    const std::string padded = gz + std::string(1 << 20, '\0');
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            ChunkedReader src(padded, 4096);
            auto dec = make_gzip_decoder(src, b);
            auto out = decode_all(*dec, 1 << 16);
            BOOST_REQUIRE(out.ok());
            BOOST_TEST((*out == data));
            BOOST_TEST(src.position() <= 2 * 4096u);  // read ahead a little, not the whole padding
        }
    }
}

BOOST_AUTO_TEST_CASE(gzip_corrupt_byte_is_malformed) {
    const std::string data = sample_data(400'000, 0);
    const std::string gz = gzip(data);
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            for (std::size_t at : {gz.size() / 3, gz.size() / 2, gz.size() - 6 /* CRC-32 */}) {
                BOOST_TEST_CONTEXT("byte " << at) {
                    std::string bad = gz;
                    bad[at] = static_cast<char>(bad[at] ^ 0x55);
                    auto out = gunzip(bad, b);
                    BOOST_REQUIRE(!out.ok());
                    BOOST_TEST((out.error().kind == ErrorKind::malformed));
                    // A changed CRC-32 shows in the trailer check; a changed data byte may
                    // still decode, and then shows there too.
                    const std::string& what = out.error().what;
                    if (at == gz.size() - 6) BOOST_TEST(what.find("gzip trailer: ") == 0u);
                    else BOOST_TEST((what.find("gzip data corrupt: ") == 0u || what.find("gzip trailer: ") == 0u));
                    BOOST_TEST(out.error().where == "");
                }
            }
            std::string method = gz;
            method[2] = 7;  // compression method other than deflate
            auto m = gunzip(method, b);
            BOOST_REQUIRE(!m.ok());
            BOOST_TEST((m.error().kind == ErrorKind::malformed));
        }
    }
}

BOOST_AUTO_TEST_CASE(gzip_truncated_stream_is_truncated) {
    const std::string data = sample_data(400'000, 10'000);
    const std::string gz = gzip(data);
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            for (std::size_t len : {std::size_t(0), std::size_t(5), gz.size() / 2, gz.size() - 9}) {
                BOOST_TEST_CONTEXT("cut at " << len) {
                    auto out = gunzip(std::string_view(gz).substr(0, len), b);
                    BOOST_REQUIRE(!out.ok());
                    BOOST_TEST((out.error().kind == ErrorKind::truncated));
                    BOOST_TEST(out.error().what == "gzip stream ends early, inside its compressed data");
                }
            }
            // The deflate data whole, the 8-byte trailer missing or cut: said so.
            for (std::size_t len : {gz.size() - 8, gz.size() - 4, gz.size() - 1}) {
                BOOST_TEST_CONTEXT("cut at " << len) {
                    auto out = gunzip(std::string_view(gz).substr(0, len), b);
                    BOOST_REQUIRE(!out.ok());
                    BOOST_TEST((out.error().kind == ErrorKind::truncated));
                    BOOST_TEST(out.error().what == "gzip stream ends before its trailer (the CRC-32 and size are missing or cut)");
                }
            }
            // A second member that stops inside its header.
            auto second = gunzip(gz + "\x1f\x8b\x08", b);
            BOOST_REQUIRE(!second.ok());
            BOOST_TEST((second.error().kind == ErrorKind::truncated));
        }
    }
}

BOOST_AUTO_TEST_CASE(gzip_wrong_trailer_is_named) {
    const std::string gz = gzip(sample_data(300'000, 5'000));
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            std::string crc = gz, size = gz;
            crc[gz.size() - 8] = static_cast<char>(crc[gz.size() - 8] ^ 0xff);
            size[gz.size() - 1] = static_cast<char>(size[gz.size() - 1] ^ 0xff);
            auto c = gunzip(crc, b);
            auto s = gunzip(size, b);
            BOOST_REQUIRE(!c.ok());
            BOOST_REQUIRE(!s.ok());
            BOOST_TEST((c.error().kind == ErrorKind::malformed));
            BOOST_TEST((s.error().kind == ErrorKind::malformed));
            // zlib tells the CRC-32 from the size; ISA-L checks both at once.
            if (b == GzipBackend::zlib) {
                BOOST_TEST(c.error().what == "gzip trailer: the CRC-32 does not match the decoded data");
                BOOST_TEST(s.error().what == "gzip trailer: the size does not match the decoded data");
            } else {
                BOOST_TEST(c.error().what == "gzip trailer: the CRC-32 or the size does not match the decoded data");
                BOOST_TEST(s.error().what == "gzip trailer: the CRC-32 or the size does not match the decoded data");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(gzip_errors_stay_and_garbage_ends) {
    std::string garbage = "\x1f\x8b\x08";
    garbage += std::string(2, '\0') + sample_data(0, 200'000);
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            MemoryReader src(garbage);
            auto dec = make_gzip_decoder(src, b);
            auto out = decode_all(*dec, 1 << 16);
            BOOST_REQUIRE(!out.ok());
            // The error repeats on later reads instead of resuming the stream.
            std::uint8_t buf[64];
            auto again = dec->read(buf);
            BOOST_REQUIRE(!again.ok());
            BOOST_TEST((again.error().kind == out.error().kind));

            BrokenReader broken;
            auto io = make_gzip_decoder(broken, b);
            auto e = io->read(buf);
            BOOST_REQUIRE(!e.ok());
            BOOST_TEST((e.error().kind == ErrorKind::unreadable));
        }
    }
}

BOOST_AUTO_TEST_CASE(gzip_backends_agree) {
    if (!have_isal()) {
        BOOST_TEST_MESSAGE("built without ISA-L: only zlib to compare");
        BOOST_TEST((default_gzip_backend() == GzipBackend::zlib));
        return;
    }
    BOOST_TEST((default_gzip_backend() == GzipBackend::isal));
    const std::string data = sample_data(2'000'000, 300'000);
    for (int level : {0, 1, 6, 9}) {
        BOOST_TEST_CONTEXT("level " << level) {
            const std::string gz = gzip(data, level) + gzip("tail", level);
            auto z = gunzip(gz, GzipBackend::zlib);
            auto i = gunzip(gz, GzipBackend::isal);
            BOOST_REQUIRE(z.ok());
            BOOST_REQUIRE(i.ok());
            BOOST_TEST((*z == *i));
            BOOST_TEST((*z == data + "tail"));
        }
    }
    // The same verdict on a damaged stream.
    std::string bad = gzip(data);
    bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x10);
    auto z = gunzip(bad, GzipBackend::zlib);
    auto i = gunzip(bad, GzipBackend::isal);
    BOOST_REQUIRE(!z.ok());
    BOOST_REQUIRE(!i.ok());
    BOOST_TEST((z.error().kind == i.error().kind));
}

// A layer written by buildkit (stereoscope's OCI fixture): the blob's file name is its
// digest, and the config's diff_id is the digest of the decompressed tar.
BOOST_AUTO_TEST_CASE(gzip_layer_from_buildkit_matches_its_diff_id) {
    const auto dir = shared_dir() / "corpus/real/stereoscope/pkg/image/oci/testdata/valid_oci_dir/blobs/sha256";
    if (!std::filesystem::exists(shared_dir())) {
        BOOST_TEST_MESSAGE("no shared/ beside the source tree: skipped");
        return;
    }
    const std::string blob = slurp(dir / "00ffd085e9e7c06d20fdc61119a8d08e5c8bd3c1c320d10494ce6ed86691c06c");
    const std::string config = slurp(dir / "61ee19e869a529075634f762c1eb191962777e0803598758cbf076edfadfb046");
    BOOST_TEST(tarsier::digest::sha256(blob) ==
               "sha256:00ffd085e9e7c06d20fdc61119a8d08e5c8bd3c1c320d10494ce6ed86691c06c");
    std::smatch m;
    BOOST_REQUIRE(std::regex_search(config, m, std::regex("\"diff_ids\":\\[\"(sha256:[0-9a-f]{64})\"\\]")));
    BOOST_TEST((sniff(bytes_of(blob)) == Compression::gzip));
    for (GzipBackend b : gzip_backends()) {
        BOOST_TEST_CONTEXT(name(b)) {
            auto out = gunzip(blob, b);
            BOOST_REQUIRE(out.ok());
            BOOST_TEST(tarsier::digest::sha256(*out) == m[1].str());
        }
    }
}

BOOST_AUTO_TEST_CASE(zstd_round_trip_across_buffer_boundaries) {
    const std::string data = sample_data(1'500'000, 700'000);
    const std::string zs = zstd(data, true);
    BOOST_REQUIRE(zs.size() > 2 * detail::kDecoderInputSize);
    BOOST_TEST((sniff(bytes_of(zs)) == Compression::zstd));
    auto out = unzstd(zs);
    BOOST_REQUIRE(out.ok());
    BOOST_TEST(tarsier::digest::sha256(*out) == tarsier::digest::sha256(data));
    auto odd = unzstd(zs, 65'537, 4093);
    BOOST_REQUIRE(odd.ok());
    BOOST_TEST((*odd == data));
}

BOOST_AUTO_TEST_CASE(zstd_frames_and_skippable_frames) {
    const std::string a = sample_data(200'000, 20'000);
    const std::string b = "second frame";
    const std::string stream = zstd(a) + skippable_frame("zstd:chunked TOC would go here", 0) + zstd(b, true) +
                               skippable_frame("", 0xf);
    for (std::size_t step : {std::size_t(1), std::size_t(7), std::size_t(SIZE_MAX)}) {
        BOOST_TEST_CONTEXT("source step " << step) {
            auto out = unzstd(stream, step, step == 1 ? 1009 : 1 << 20);
            BOOST_REQUIRE(out.ok());
            BOOST_TEST((*out == a + b));
        }
    }
    // A stream may begin with a skippable frame.
    const std::string lead = skippable_frame("metadata", 3) + zstd(b);
    BOOST_TEST((sniff(bytes_of(lead)) == Compression::zstd));
    auto out = unzstd(lead);
    BOOST_REQUIRE(out.ok());
    BOOST_TEST((*out == b));
    MemoryReader src(lead);
    auto dec = make_decoder(Compression::zstd, src);
    auto all = read_all(*dec, 1000);
    BOOST_REQUIRE(all.ok());
    BOOST_TEST((*all == b));
}

BOOST_AUTO_TEST_CASE(zstd_corrupt_data_is_malformed) {
    const std::string data = sample_data(300'000, 0);
    const std::string zs = zstd(data, true);
    for (std::size_t at : {zs.size() / 2, zs.size() - 2 /* content checksum */, std::size_t(0)}) {
        BOOST_TEST_CONTEXT("byte " << at) {
            std::string bad = zs;
            bad[at] = static_cast<char>(bad[at] ^ 0x55);
            auto out = unzstd(bad);
            BOOST_REQUIRE(!out.ok());
            BOOST_TEST((out.error().kind == ErrorKind::malformed));
            BOOST_TEST(out.error().what.find("zstd data corrupt: ") == 0u);
        }
    }
    // Zero padding after a zstd frame is not a frame.
    auto padded = unzstd(zstd("x") + std::string(512, '\0'));
    BOOST_REQUIRE(!padded.ok());
    BOOST_TEST((padded.error().kind == ErrorKind::malformed));
}

BOOST_AUTO_TEST_CASE(zstd_truncated_stream_is_truncated) {
    const std::string zs = zstd(sample_data(300'000, 1000), true) + skippable_frame("abcdef");
    const std::size_t frame_end = zs.size() - 14;
    for (std::size_t len : {std::size_t(0), std::size_t(3), std::size_t(10), frame_end / 2, frame_end - 1,
                            zs.size() - 1}) {
        BOOST_TEST_CONTEXT("cut at " << len) {
            auto out = unzstd(std::string_view(zs).substr(0, len));
            BOOST_REQUIRE(!out.ok());
            BOOST_TEST((out.error().kind == ErrorKind::truncated));
            BOOST_TEST(out.error().what == "zstd stream ends early, inside a frame");
        }
    }
    auto whole_frames = unzstd(std::string_view(zs).substr(0, frame_end));
    BOOST_TEST(whole_frames.ok());
}

// A zstd layer from go-containerregistry's crane tests.
BOOST_AUTO_TEST_CASE(zstd_corpus_layer_is_a_tar) {
    if (!std::filesystem::exists(shared_dir())) {
        BOOST_TEST_MESSAGE("no shared/ beside the source tree: skipped");
        return;
    }
    const std::string zs = slurp(shared_dir() / "corpus/real/ggcr/pkg/crane/testdata/content.tar.zst");
    BOOST_REQUIRE(!zs.empty());
    BOOST_TEST((sniff(bytes_of(zs)) == Compression::zstd));
    MemoryReader src(zs);
    auto dec = make_decoder(sniff(bytes_of(zs)), src);
    auto tar = read_all(*dec, 1 << 20);
    BOOST_REQUIRE(tar.ok());
    BOOST_REQUIRE(tar->size() >= 512u);
    BOOST_TEST(tar->size() % 512 == 0u);
    BOOST_TEST(tar->substr(257, 5) == "ustar");
}

BOOST_AUTO_TEST_SUITE_END()
