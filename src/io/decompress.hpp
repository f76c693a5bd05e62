#pragma once
/// Detecting compression from magic bytes and decoding gzip and zstd streams.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "io/reader.hpp"

namespace tarsier::io {

/// Compression of a byte stream, as told by its first bytes (never by a name or media type).
enum class Compression { none, gzip, zstd, bzip2, xz };

/// Names: "none", "gzip", "zstd", "bzip2", "xz".
std::string_view to_string(Compression c);

/// Detects compression from the first bytes: gzip 1f 8b, zstd 28 b5 2f fd or a zstd
/// skippable frame (50..5f 2a 4d 18), bzip2 "BZh", xz fd 37 7a 58 5a 00; otherwise none.
Compression sniff(std::span<const std::uint8_t> head);

/// Which gzip inflater to use.
enum class GzipBackend { zlib, isal };
/// The inflater used by default: ISA-L when built with it, else zlib.
GzipBackend default_gzip_backend();
/// Whether this build has ISA-L.
bool have_isal();

/// Decodes a gzip stream of one or more members (concatenated members are decoded in
/// sequence; trailing bytes that are not a gzip header end the stream and are left unread
/// in the source, except what the inflater read ahead). Corrupt data fails with
/// `malformed`, a stream cut short with `truncated`. Asking for ISA-L in a build without it
/// gives the zlib decoder.
std::unique_ptr<Reader> make_gzip_decoder(Reader& source, GzipBackend backend = default_gzip_backend());

/// Decodes a zstd stream of one or more frames, skipping skippable frames.
/// Corrupt data fails with `malformed`, a stream cut short with `truncated`.
std::unique_ptr<Reader> make_zstd_decoder(Reader& source);

/// A decoder for `c` over `source` (none: passes bytes through); bzip2 and xz fail with
/// `malformed` ("unsupported compression") when read.
std::unique_ptr<Reader> make_decoder(Compression c, Reader& source);

/// Internals shared by the decoders in this module; other modules use the factories above.
namespace detail {

/// Size of every decoder's input buffer; fixed, so memory does not grow with the stream.
inline constexpr std::size_t kDecoderInputSize = 256 * 1024;

/// A decoder's input: a fixed buffer refilled from the source. The source must outlive it.
class InputBuffer {
public:
    explicit InputBuffer(Reader& source);
    /// The bytes read from the source and not yet consumed.
    [[nodiscard]] std::uint8_t* data() { return m_buf.get() + m_begin; }
    [[nodiscard]] std::size_t size() const { return m_end - m_begin; }
    void consume(std::size_t n) { m_begin += n; }
    /// Whether the source has reported its end.
    [[nodiscard]] bool eof() const { return m_eof; }
    /// Reads from the source when no bytes are left; passes the source's errors on.
    util::Result<void> refill();
    /// Whether the unread bytes begin with a gzip header (1f 8b), reading ahead as needed.
    util::Result<bool> at_gzip_member();

private:
    Reader& m_source;
    std::unique_ptr<std::uint8_t[]> m_buf;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    bool m_eof = false;
};

/// The truncated error of a gzip stream whose input ended: `after_data` when the deflate
/// data was whole and only the trailer (CRC-32 and size) was missing or cut. Both decoders
/// word it alike.
util::Error gzip_ends_early(bool after_data);

/// The zlib gzip decoder (make_gzip_decoder with GzipBackend::zlib).
std::unique_ptr<Reader> make_zlib_gzip_decoder(Reader& source);
/// The ISA-L gzip decoder; defined only when the build has ISA-L (have_isal()).
std::unique_ptr<Reader> make_isal_gzip_decoder(Reader& source);

}  // namespace detail

}  // namespace tarsier::io
