// gzip decoding with ISA-L's isal_inflate: the same member and error semantics as the zlib
// decoder, 1.7-1.9x the speed of zlib on x86-64 (measured on 150-300 MB gzip layers).
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "io/decompress.hpp"

namespace tarsier::io {

namespace {

using util::ErrorKind;

/// zlib's wording for the same faults, so both backends report alike.
std::string isal_error_text(int rc) {
    switch (rc) {
        case ISAL_INVALID_BLOCK: return "invalid block type";
        case ISAL_INVALID_SYMBOL: return "invalid code";
        case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
        case ISAL_INVALID_WRAPPER: return "incorrect header check";
        case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
        case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
        case ISAL_NEED_DICT: return "needs a preset dictionary";
        default: return "isal_inflate error " + std::to_string(rc);
    }
}

class IsalGzipDecoder final : public Reader {
public:
    explicit IsalGzipDecoder(Reader& source) : m_in(source), m_state(std::make_unique<inflate_state>()) {
        start_member();
    }

    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        if (m_error) return util::fail(*m_error);
        if (m_done || buf.empty()) return std::size_t{0};

        inflate_state& st = *m_state;
        const auto want = static_cast<std::uint32_t>(std::min<std::size_t>(buf.size(), UINT32_MAX));
        st.next_out = buf.data();
        st.avail_out = want;
        while (st.avail_out > 0) {
            if (auto r = m_in.refill(); !r) {
                m_error = r.error();
                break;
            }
            const std::size_t in_before = m_in.size();
            const std::uint32_t out_before = st.avail_out;
            const auto block_before = st.block_state;
            st.next_in = m_in.data();
            st.avail_in = static_cast<std::uint32_t>(in_before);
            int rc = isal_inflate(&st);
            // isal_inflate gives back the whole bytes it buffered but did not use, so avail_in
            // is exact at the end of a member.
            m_in.consume(in_before - st.avail_in);

            if (rc == ISAL_INCORRECT_CHECKSUM) {
                // ISA-L checks the CRC-32 and the size together.
                m_error = util::make_error(ErrorKind::malformed, "",
                                           "gzip trailer: the CRC-32 or the size does not match the decoded data");
                break;
            }
            if (rc < 0 || rc == ISAL_NEED_DICT) {
                m_error = util::make_error(ErrorKind::malformed, "", "gzip data corrupt: " + isal_error_text(rc));
                break;
            }
            if (st.block_state == ISAL_BLOCK_FINISH) {
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
                start_member();
                continue;
            }
            const bool progress =
                m_in.size() != in_before || st.avail_out != out_before || st.block_state != block_before;
            if (!progress) {
                if (m_in.size() == 0 && !m_in.eof()) continue;
                // ISAL_BLOCK_INPUT_DONE: the last deflate block is done; ISAL_CHECKSUM_CHECK:
                // inside the trailer.
                bool after_data = st.block_state == ISAL_BLOCK_INPUT_DONE || st.block_state == ISAL_CHECKSUM_CHECK;
                m_error = m_in.size() == 0 ? detail::gzip_ends_early(after_data)
                                           : util::make_error(ErrorKind::malformed, "", "gzip data corrupt: inflate made no progress");
                break;
            }
        }
        // Bytes decoded before an error are handed over first; the error comes with the next call.
        const auto produced = static_cast<std::size_t>(want - st.avail_out);
        if (m_error && produced == 0) return util::fail(*m_error);
        return produced;
    }

private:
    void start_member() {
        // Init clears the output window and the wrapper settings: keep the first, set the
        // second for every member.
        std::uint8_t* next_out = m_state->next_out;
        const std::uint32_t avail_out = m_state->avail_out;
        isal_inflate_init(m_state.get());
        m_state->next_out = next_out;
        m_state->avail_out = avail_out;
        m_state->crc_flag = ISAL_GZIP;  // parse the gzip header, check CRC-32 and ISIZE
        m_state->hist_bits = 0;         // full 32 KiB window
    }

    detail::InputBuffer m_in;
    std::unique_ptr<inflate_state> m_state;  // ~85 KiB: keep it off the stack
    bool m_done = false;
    std::optional<util::Error> m_error;
};

}  // namespace

namespace detail {

std::unique_ptr<Reader> make_isal_gzip_decoder(Reader& source) { return std::make_unique<IsalGzipDecoder>(source); }

}  // namespace detail

}  // namespace tarsier::io
