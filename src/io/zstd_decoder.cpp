// zstd decoding with ZSTD_decompressStream over the whole input: it decodes frame after frame
// and skips skippable frames (zstd:chunked keeps its TOC in them) on its own.
#include <zstd.h>
#include <zstd_errors.h>

#include <optional>
#include <string>

#include "io/decompress.hpp"

namespace tarsier::io {

namespace {

using util::ErrorKind;

struct DCtxFree {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

class ZstdDecoder final : public Reader {
public:
    explicit ZstdDecoder(Reader& source) : m_in(source), m_dctx(ZSTD_createDCtx()) {
        // The default window limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT, 128 MiB) bounds memory; a frame
        // that needs more fails with `limit`.
        if (!m_dctx) m_error = util::make_error(ErrorKind::limit, "", "zstd: out of memory");
    }

    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        if (m_error) return util::fail(*m_error);
        if (m_done || buf.empty()) return std::size_t{0};

        ZSTD_outBuffer out{buf.data(), buf.size(), 0};
        while (out.pos < out.size) {
            if (auto r = m_in.refill(); !r) {
                m_error = r.error();
                break;
            }
            ZSTD_inBuffer in{m_in.data(), m_in.size(), 0};
            const std::size_t out_before = out.pos;
            const std::size_t rc = ZSTD_decompressStream(m_dctx.get(), &out, &in);
            m_in.consume(in.pos);
            if (ZSTD_isError(rc)) {
                m_error = zstd_error(rc);
                break;
            }
            const bool progress = in.pos != 0 || out.pos != out_before;
            // 0: a frame (or skippable frame) is complete and flushed. Called again with no
            // input at that point, zstd returns the size of the next header, so only a call
            // that moved bytes may clear the flag.
            if (rc == 0) {
                m_frame_complete = true;
            } else if (progress) {
                m_frame_complete = false;
            }
            if (!progress) {
                if (m_in.size() == 0 && !m_in.eof()) continue;
                if (m_in.size() == 0 && m_frame_complete) {
                    m_done = true;
                    break;
                }
                m_error = m_in.size() == 0
                              ? util::make_error(ErrorKind::truncated, "", "zstd stream ends early, inside a frame")
                              : util::make_error(ErrorKind::malformed, "", "zstd data corrupt: decoder made no progress");
                break;
            }
        }
        // Bytes decoded before an error are handed over first; the error comes with the next call.
        if (m_error && out.pos == 0) return util::fail(*m_error);
        return out.pos;
    }

private:
    static util::Error zstd_error(std::size_t rc) {
        const std::string name = ZSTD_getErrorName(rc);
        switch (ZSTD_getErrorCode(rc)) {
            case ZSTD_error_frameParameter_windowTooLarge:
                return util::make_error(ErrorKind::limit, "", "zstd frame needs too much memory: " + name);
            case ZSTD_error_memory_allocation:
                return util::make_error(ErrorKind::limit, "", "zstd: out of memory");
            default:
                return util::make_error(ErrorKind::malformed, "", "zstd data corrupt: " + name);
        }
    }

    detail::InputBuffer m_in;
    std::unique_ptr<ZSTD_DCtx, DCtxFree> m_dctx;
    bool m_frame_complete = false;
    bool m_done = false;
    std::optional<util::Error> m_error;
};

}  // namespace

std::unique_ptr<Reader> make_zstd_decoder(Reader& source) { return std::make_unique<ZstdDecoder>(source); }

}  // namespace tarsier::io
