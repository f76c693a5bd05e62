// gzip decoding with zlib's inflate, member after member.
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <optional>
#include <string>

#include "io/decompress.hpp"

namespace tarsier::io {

namespace {

using util::ErrorKind;

class ZlibGzipDecoder final : public Reader {
public:
    explicit ZlibGzipDecoder(Reader& source) : m_in(source) {
        // 16 + MAX_WBITS: a gzip wrapper (header and CRC-32/ISIZE trailer), 32 KiB window.
        int rc = inflateInit2(&m_z, 16 + MAX_WBITS);
        if (rc == Z_OK) {
            m_initialised = true;
        } else {
            m_error = util::make_error(ErrorKind::limit, "", "gzip: zlib cannot start (out of memory)");
        }
    }
    ~ZlibGzipDecoder() override {
        if (m_initialised) inflateEnd(&m_z);
    }
    ZlibGzipDecoder(const ZlibGzipDecoder&) = delete;
    ZlibGzipDecoder& operator=(const ZlibGzipDecoder&) = delete;

    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        if (m_error) return util::fail(*m_error);
        if (m_done || buf.empty()) return std::size_t{0};

        const auto want = static_cast<uInt>(std::min<std::size_t>(buf.size(), UINT_MAX));
        m_z.next_out = buf.data();
        m_z.avail_out = want;
        while (m_z.avail_out > 0) {
            if (auto r = m_in.refill(); !r) {
                m_error = r.error();
                break;
            }
            m_z.next_in = m_in.data();
            m_z.avail_in = static_cast<uInt>(m_in.size());
            int rc = inflate(&m_z, Z_NO_FLUSH);
            m_in.consume(m_in.size() - m_z.avail_in);

            if (rc == Z_OK) continue;
            if (rc == Z_STREAM_END) {
                auto next = m_in.at_gzip_member();
                if (!next) {
                    m_error = next.error();
                    break;
                }
                if (!*next) {
                    // No further member: trailing bytes (zero padding, garbage) end the stream.
                    m_done = true;
                    break;
                }
                inflateReset(&m_z);
                continue;
            }
            if (rc == Z_BUF_ERROR) {
                // No progress was possible. With output space left that means inflate wants
                // more input.
                if (m_in.size() == 0 && !m_in.eof()) continue;
                // After the last deflate block (the last-block bit set, outside any block)
                // only the 8-byte trailer was left to read.
                bool after_data = (m_z.data_type & 64) != 0 && inflateMark(&m_z) == -65536L;
                m_error = m_in.size() == 0 ? detail::gzip_ends_early(after_data)
                                           : util::make_error(ErrorKind::malformed, "", "gzip data corrupt: inflate made no progress");
                break;
            }
            if (rc == Z_MEM_ERROR) {
                m_error = util::make_error(ErrorKind::limit, "", "gzip: out of memory");
                break;
            }
            // Z_DATA_ERROR, Z_NEED_DICT (a zlib-only feature), Z_STREAM_ERROR.
            std::string why = m_z.msg != nullptr ? m_z.msg : "inflate error " + std::to_string(rc);
            if (why == "incorrect data check")
                m_error = util::make_error(ErrorKind::malformed, "", "gzip trailer: the CRC-32 does not match the decoded data");
            else if (why == "incorrect length check")
                m_error = util::make_error(ErrorKind::malformed, "", "gzip trailer: the size does not match the decoded data");
            else
                m_error = util::make_error(ErrorKind::malformed, "", "gzip data corrupt: " + why);
            break;
        }
        // Bytes decoded before an error are handed over first; the error comes with the next call.
        const auto produced = static_cast<std::size_t>(want - m_z.avail_out);
        if (m_error && produced == 0) return util::fail(*m_error);
        return produced;
    }

private:
    detail::InputBuffer m_in;
    z_stream m_z{};
    bool m_initialised = false;
    bool m_done = false;
    std::optional<util::Error> m_error;
};

}  // namespace

namespace detail {

std::unique_ptr<Reader> make_zlib_gzip_decoder(Reader& source) { return std::make_unique<ZlibGzipDecoder>(source); }

}  // namespace detail

}  // namespace tarsier::io
