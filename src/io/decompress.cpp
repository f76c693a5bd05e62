#include "io/decompress.hpp"

#include <cstring>
#include <string>

namespace tarsier::io {

std::string_view to_string(Compression c) {
    switch (c) {
        case Compression::none: return "none";
        case Compression::gzip: return "gzip";
        case Compression::zstd: return "zstd";
        case Compression::bzip2: return "bzip2";
        case Compression::xz: return "xz";
    }
    return "none";
}

Compression sniff(std::span<const std::uint8_t> h) {
    const std::size_t n = h.size();
    if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b) return Compression::gzip;
    if (n >= 4 && h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f && h[3] == 0xfd) return Compression::zstd;
    // Skippable frames: magic 0x184D2A50..0x184D2A5F, little-endian.
    if (n >= 4 && (h[0] & 0xf0) == 0x50 && h[1] == 0x2a && h[2] == 0x4d && h[3] == 0x18) {
        return Compression::zstd;
    }
    if (n >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') return Compression::bzip2;
    if (n >= 6 && h[0] == 0xfd && h[1] == 0x37 && h[2] == 0x7a && h[3] == 0x58 && h[4] == 0x5a && h[5] == 0x00) {
        return Compression::xz;
    }
    return Compression::none;
}

bool have_isal() {
#ifdef TARSIER_HAVE_ISAL
    return true;
#else
    return false;
#endif
}

GzipBackend default_gzip_backend() { return have_isal() ? GzipBackend::isal : GzipBackend::zlib; }

std::unique_ptr<Reader> make_gzip_decoder(Reader& source, GzipBackend backend) {
#ifdef TARSIER_HAVE_ISAL
    if (backend == GzipBackend::isal) return detail::make_isal_gzip_decoder(source);
#else
    (void)backend;
#endif
    return detail::make_zlib_gzip_decoder(source);
}

namespace {

/// Compression::none: the source's bytes unchanged.
class PassThrough final : public Reader {
public:
    explicit PassThrough(Reader& source) : m_source(source) {}
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override { return m_source.read(buf); }

private:
    Reader& m_source;
};

/// bzip2 and xz: recognised so that the error can name them, but not decoded.
class Unsupported final : public Reader {
public:
    explicit Unsupported(Compression c) : m_c(c) {}
    util::Result<std::size_t> read(std::span<std::uint8_t>) override {
        return util::fail(util::ErrorKind::malformed, "", "unsupported compression: " + std::string(to_string(m_c)));
    }

private:
    Compression m_c;
};

}  // namespace

std::unique_ptr<Reader> make_decoder(Compression c, Reader& source) {
    switch (c) {
        case Compression::none: return std::make_unique<PassThrough>(source);
        case Compression::gzip: return make_gzip_decoder(source);
        case Compression::zstd: return make_zstd_decoder(source);
        case Compression::bzip2:
        case Compression::xz: break;
    }
    return std::make_unique<Unsupported>(c);
}

namespace detail {

InputBuffer::InputBuffer(Reader& source)
    : m_source(source), m_buf(std::make_unique_for_overwrite<std::uint8_t[]>(kDecoderInputSize)) {}

util::Result<void> InputBuffer::refill() {
    if (size() != 0 || m_eof) return {};
    auto n = m_source.read(std::span<std::uint8_t>(m_buf.get(), kDecoderInputSize));
    if (!n) return n.failure();
    m_begin = 0;
    m_end = *n;
    if (*n == 0) m_eof = true;
    return {};
}

util::Result<bool> InputBuffer::at_gzip_member() {
    constexpr std::size_t kMagic = 2;
    if (size() < kMagic && !m_eof) {
        // At most one byte is left: move it to the front and read behind it.
        std::memmove(m_buf.get(), data(), size());
        m_end = size();
        m_begin = 0;
        while (m_end < kMagic && !m_eof) {
            auto n = m_source.read(std::span<std::uint8_t>(m_buf.get() + m_end, kDecoderInputSize - m_end));
            if (!n) return n.failure();
            if (*n == 0) m_eof = true;
            m_end += *n;
        }
    }
    return size() >= kMagic && data()[0] == 0x1f && data()[1] == 0x8b;
}

util::Error gzip_ends_early(bool after_data) {
    return util::make_error(util::ErrorKind::truncated, "",
                            after_data ? "gzip stream ends before its trailer (the CRC-32 and size are missing or cut)"
                                       : "gzip stream ends early, inside its compressed data");
}

}  // namespace detail

}  // namespace tarsier::io
