#include "archive/ustar_walk.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "archive/layer_size.hpp"

namespace tarsier::archive {

namespace {

constexpr std::size_t kBlock = 512;

/// Parses an octal field (NUL or space terminated, leading spaces allowed).
std::optional<std::uint64_t> octal(const char* p, std::size_t n) {
    std::size_t i = 0;
    while (i < n && p[i] == ' ') ++i;
    std::uint64_t v = 0;
    bool any = false;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; ++i) {
        if (v > (UINT64_MAX >> 3)) return std::nullopt;
        v = (v << 3) | static_cast<std::uint64_t>(p[i] - '0');
        any = true;
    }
    for (; i < n; ++i)
        if (p[i] != ' ' && p[i] != '\0') return std::nullopt;
    if (!any) return std::nullopt;
    return v;
}

/// Parses a decimal number (a PAX size).
std::optional<std::uint64_t> octal_free_decimal(std::string_view s) {
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    for (char ch : s) {
        if (ch < '0' || ch > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    return v;
}

std::string field(const char* p, std::size_t n) { return std::string(p, strnlen(p, n)); }

bool all_zero(const std::uint8_t* p) {
    static const std::array<std::uint8_t, kBlock> zeros{};
    return std::memcmp(p, zeros.data(), kBlock) == 0;
}

/// The header checksum: the unsigned sum of all bytes with the checksum field as spaces.
std::uint64_t checksum(const std::uint8_t* p) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i) sum += p[i];  // vectorised by the compiler
    for (std::size_t i = 148; i < 156; ++i) sum -= p[i];
    return sum + 8 * ' ';
}

/// Reads headers through a small buffer so that runs of small files cost one read.
class HeaderSource {
public:
    HeaderSource(const io::FileSource& f, std::uint64_t begin, std::uint64_t end) : m_file(f), m_end(end) {
        m_buf.resize(8192);
        m_buf_at = begin;
    }
    /// The block at `pos`, or nullptr past the end; an I/O error sets `error`.
    const std::uint8_t* block(std::uint64_t pos, std::optional<util::Error>& error) {
        if (pos + kBlock > m_end) return nullptr;
        if (pos < m_buf_at || pos + kBlock > m_buf_at + m_buf_len) {
            std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(m_buf.size(), m_end - pos));
            auto n = m_file.pread(pos, std::span(m_buf.data(), want));
            if (!n) {
                error = n.error();
                return nullptr;
            }
            m_buf_at = pos;
            m_buf_len = *n;
            if (m_buf_len < kBlock) return nullptr;
        }
        return m_buf.data() + (pos - m_buf_at);
    }

private:
    const io::FileSource& m_file;
    std::uint64_t m_end;
    std::vector<std::uint8_t> m_buf;
    std::uint64_t m_buf_at = 0;
    std::size_t m_buf_len = 0;
};

/// What extension headers say about the next entry.
struct Pending {
    std::optional<std::string> path, link;
    std::optional<std::uint64_t> size;
};

/// Reads PAX records ("<len> <key>=<value>\n"); false when they are not well formed.
bool parse_pax(const std::string& data, Pending& out) {
    std::size_t i = 0;
    while (i < data.size()) {
        if (data[i] == '\0') break;  // padding
        std::size_t sp = data.find(' ', i);
        if (sp == std::string::npos) return false;
        std::uint64_t len = 0;
        for (std::size_t k = i; k < sp; ++k) {
            if (data[k] < '0' || data[k] > '9' || len > data.size()) return false;
            len = len * 10 + static_cast<std::uint64_t>(data[k] - '0');
        }
        if (len <= sp - i + 1 || i + len > data.size() || data[i + len - 1] != '\n') return false;
        std::string_view rec(data.data() + sp + 1, i + len - 1 - (sp + 1));
        auto eq = rec.find('=');
        if (eq == std::string_view::npos) return false;
        std::string_view key = rec.substr(0, eq), value = rec.substr(eq + 1);
        if (key == "path") out.path = std::string(value);
        else if (key == "linkpath") out.link = std::string(value);
        else if (key == "size") {
            auto v = octal_free_decimal(value);
            if (!v) return false;
            out.size = v;
        } else if (key.starts_with("GNU.sparse") || key == "hdrcharset") {
            return false;  // sparse files and non-UTF-8 names: libarchive's job
        }
        i += len;
    }
    return true;
}

}  // namespace

std::optional<util::Result<BlobStats>> walk_plain_ustar(const io::FileSource& file, std::uint64_t offset,
                                                        std::uint64_t length, const ScanOptions& options) {
    BlobStats stats;
    stats.options = options;
    stats.size = length;
    stats.uncompressed_size = length;
    if (length == 0) {
        stats.is_tar = true;
        return util::Result<BlobStats>(stats);
    }
    HeaderSource src(file, offset, offset + length);
    std::optional<util::Error> io_error;
    LayerSizer sizer;
    TarHeader h;
    Pending pending;
    std::uint64_t pos = offset;
    const std::uint64_t end = offset + length;
    for (;;) {
        const std::uint8_t* b = src.block(pos, io_error);
        if (io_error) return util::Result<BlobStats>(util::Failure{*io_error});
        if (!b) return std::nullopt;  // no end marker: libarchive decides what that means
        if (all_zero(b)) {
            const std::uint8_t* next = src.block(pos + kBlock, io_error);
            if (io_error) return util::Result<BlobStats>(util::Failure{*io_error});
            if (!next || !all_zero(next)) return std::nullopt;
            break;
        }
        const char* c = reinterpret_cast<const char*>(b);
        // ustar ("ustar\0" "00") or GNU ("ustar  \0"); nothing older.
        bool posix = std::memcmp(c + 257, "ustar\0" "00", 8) == 0;
        bool gnu = std::memcmp(c + 257, "ustar  \0", 8) == 0;
        if (!posix && !gnu) return std::nullopt;
        auto sum = octal(c + 148, 8);
        if (!sum) return std::nullopt;
        if (checksum(b) != *sum) return std::nullopt;
        char type = c[156];
        if (static_cast<unsigned char>(c[124]) & 0x80) return std::nullopt;  // base-256 size
        auto size = octal(c + 124, 12);
        if (!size) return std::nullopt;
        if (type == 'x' || type == 'L' || type == 'K') {
            // A PAX extended header or GNU long name/link for the next entry.
            if (*size > (1u << 20) || *size > end - pos - kBlock) return std::nullopt;
            std::string data(static_cast<std::size_t>(*size), '\0');
            auto n = file.pread(pos + kBlock, std::span(reinterpret_cast<std::uint8_t*>(data.data()), data.size()));
            if (!n) return util::Result<BlobStats>(n.failure());
            if (*n != data.size()) return std::nullopt;
            if (type == 'x') {
                if (!parse_pax(data, pending)) return std::nullopt;
            } else {
                data.resize(strnlen(data.data(), data.size()));
                (type == 'L' ? pending.path : pending.link) = data;
            }
            pos += kBlock + (*size + kBlock - 1) / kBlock * kBlock;
            continue;
        }
        if (!(type == '0' || type == '\0' || type == '7' || (type >= '1' && type <= '6'))) return std::nullopt;
        h.path = field(c, 100);
        if (posix && c[345] != '\0') h.path = field(c + 345, 155) + "/" + h.path;
        h.link = field(c + 157, 100);
        if (pending.path) h.path = *pending.path;
        if (pending.link) h.link = *pending.link;
        if (pending.size) size = pending.size;
        pending = Pending{};
        // A name over the limit: the libarchive walk (walk_tar_headers) refuses the layer.
        if (h.path.size() > kMaxNameLength || h.link.size() > kMaxNameLength) return std::nullopt;
        h.size = (type == '1' || type == '2' || type == '5' || type == '3' || type == '4' || type == '6') ? 0 : *size;
        h.type = type == '\0' || type == '7' ? '0' : type;
        // libarchive treats a "regular file" whose name ends in '/' as a directory.
        if (h.type == '0' && !h.path.empty() && h.path.back() == '/') h.type = '5';
        ++stats.entry_count;
        sizer.add(h);
        std::uint64_t data = (type == '1' || type == '2' || type == '5') ? 0 : *size;
        std::uint64_t advance = kBlock + (data + kBlock - 1) / kBlock * kBlock;
        if (advance > end - pos) return std::nullopt;
        pos += advance;
    }
    stats.is_tar = true;
    stats.content_size = sizer.total();
    return util::Result<BlobStats>(stats);
}

}  // namespace tarsier::archive
