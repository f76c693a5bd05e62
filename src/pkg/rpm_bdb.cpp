// parse_rpm_bdb: the Berkeley DB hash database `Packages` of rpm before 4.16 (CentOS and
// RHEL 7/8, Amazon Linux 2), read with no libdb. Facts of the format (Berkeley DB's
// dbinc/db_page.h and hash.h), in the byte order of the machine that wrote it, which the
// magic at byte 12 of page 0 tells:
//   - page 0 is the hash metadata: magic 0x061561, version, page size, encryption, page
//     type 8, flags (bit 0: page checksums), last page number, ...;
//   - every page starts with a 26-byte header: LSN, page number, previous and next page,
//     entry count, free-space offset (on an overflow page: the bytes it holds), level,
//     type (13 or 2 hash, 7 overflow); a checksummed file has 20 more bytes before the
//     items;
//   - a hash page holds an array of 16-bit item offsets, items in key/value pairs; an item
//     is a type byte (1 inline data, 3 off-page) and either the bytes (up to the previous
//     item) or an off-page reference: 3 unused bytes, first overflow page, total length;
//   - an overflow chain is linked by the next-page field.
// rpm's keys are 4-byte package numbers; key 0 holds rpm's next-number counter. Every page
// is visited once and every overflow page may belong to one chain only, so the work is
// bounded by the file's size whatever the pages say.
#include <string>
#include <vector>

#include "pkg/inventory.hpp"
#include "pkg/rpm_bytes.hpp"
#include "pkg/rpm_problems.hpp"

namespace tarsier::pkg {
namespace {

using util::ErrorKind;

constexpr std::uint32_t kHashMagic = 0x061561;
constexpr std::size_t kPageHeader = 26;
constexpr std::size_t kChecksumHeader = 20;
constexpr std::uint8_t kPageHashUnsorted = 2;
constexpr std::uint8_t kPageOverflow = 7;
constexpr std::uint8_t kPageHashMeta = 8;
constexpr std::uint8_t kPageHash = 13;
constexpr std::uint8_t kItemKeyData = 1;
constexpr std::uint8_t kItemOffPage = 3;

class Pages {
public:
    Pages(rpm_bytes::Reader r, std::size_t page_size, std::size_t pages, std::size_t overhead)
        : m_r(r), m_page_size(page_size), m_pages(pages), m_overhead(overhead), m_used(pages, false) {}

    [[nodiscard]] std::size_t count() const { return m_pages; }
    [[nodiscard]] std::string_view page(std::size_t n) const { return m_r.bytes.substr(n * m_page_size, m_page_size); }
    [[nodiscard]] std::uint8_t type(std::size_t n) const { return static_cast<std::uint8_t>(page(n)[25]); }
    [[nodiscard]] std::size_t overhead() const { return m_overhead; }
    [[nodiscard]] const rpm_bytes::Reader& reader() const { return m_r; }

    // The value of an off-page item: `length` bytes along the chain from page `first`.
    util::Result<std::string> overflow(std::uint32_t first, std::uint32_t length) {
        std::string out;
        out.reserve(std::min<std::size_t>(length, m_r.bytes.size()));
        std::uint32_t n = first;
        while (out.size() < length) {
            const std::string where = "overflow page " + std::to_string(n);
            if (n == 0 || n >= m_pages)
                return util::fail(ErrorKind::truncated, where,
                                  "outside the file's " + std::to_string(m_pages) + " pages, " +
                                      std::to_string(out.size()) + " of " + std::to_string(length) + " bytes read");
            if (type(n) != kPageOverflow) return util::fail(ErrorKind::malformed, where, "is not an overflow page");
            if (m_used[n]) return util::fail(ErrorKind::malformed, where, "already belongs to another value");
            m_used[n] = true;
            const std::size_t at = n * m_page_size;
            const std::size_t held = m_r.u16(at + 22);
            if (held > m_page_size - m_overhead)
                return util::fail(ErrorKind::malformed, where, "claims " + std::to_string(held) + " bytes");
            out.append(m_r.bytes.substr(at + m_overhead, std::min<std::size_t>(held, length - out.size())));
            n = m_r.u32(at + 16);
        }
        return out;
    }

private:
    rpm_bytes::Reader m_r;
    std::size_t m_page_size;
    std::size_t m_pages;
    std::size_t m_overhead;
    std::vector<bool> m_used;
};

}  // namespace

util::Result<std::vector<Package>> parse_rpm_bdb(std::string_view bytes, std::string_view file,
                                                 std::vector<Problem>& problems) {
    const std::string name(file);
    RpmProblems problem(problems, name);
    if (bytes.size() < 512) return problem.fatal(ErrorKind::truncated, "page 0", "shorter than a metadata page");
    rpm_bytes::Reader r{bytes, false};
    if (r.u32(12) != kHashMagic) {
        r.big_endian = true;
        if (r.u32(12) != kHashMagic) return problem.fatal(ErrorKind::malformed, "page 0", "not a Berkeley DB hash database");
    }
    if (const auto version = r.u32(16); version < 8 || version > 10)
        return problem.fatal(ErrorKind::malformed, "page 0", "hash version " + std::to_string(version) + " (8 to 10 are known)");
    const std::size_t page_size = r.u32(20);
    if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
        return problem.fatal(ErrorKind::malformed, "page 0", "page size " + std::to_string(page_size));
    if (bytes[24] != 0) return problem.fatal(ErrorKind::malformed, "page 0", "encrypted database");
    if (static_cast<std::uint8_t>(bytes[25]) != kPageHashMeta)
        return problem.fatal(ErrorKind::malformed, "page 0", "not a hash metadata page");
    const std::size_t overhead = kPageHeader + ((bytes[26] & 0x01) ? kChecksumHeader : 0);
    const std::uint64_t declared = std::uint64_t{r.u32(32)} + 1;
    std::size_t pages = bytes.size() / page_size;
    if (declared > pages)
        problem.add(ErrorKind::truncated, "page " + std::to_string(pages),
                    "the file ends before its last page " + std::to_string(declared - 1));
    else
        pages = static_cast<std::size_t>(declared);

    Pages db(r, page_size, pages, overhead);
    std::vector<Package> out;
    for (std::size_t n = 1; n < db.count(); ++n) {
        const std::uint8_t type = db.type(n);
        if (type != kPageHash && type != kPageHashUnsorted) continue;
        const std::size_t at = n * page_size;
        const std::string page_name = "page " + std::to_string(n);
        const std::size_t entries = r.u16(at + 20);
        if (overhead + 2 * entries > page_size) {
            problem.add(ErrorKind::malformed, page_name, std::to_string(entries) + " entries do not fit the page");
            continue;
        }
        // Items are stored from the end of the page down: item i ends where item i-1 starts.
        auto item = [&](std::size_t i) -> std::optional<std::string_view> {
            const std::size_t begin = r.u16(at + overhead + 2 * i);
            const std::size_t end = i == 0 ? page_size : r.u16(at + overhead + 2 * (i - 1));
            if (begin < overhead + 2 * entries || begin >= end || end > page_size) return std::nullopt;
            return bytes.substr(at + begin, end - begin);
        };
        for (std::size_t i = 0; i + 1 < entries; i += 2) {
            const std::string place = page_name + ": item " + std::to_string(i + 1);
            const auto key = item(i);
            const auto value = item(i + 1);
            if (!key || !value) {
                problem.add(ErrorKind::malformed, place, "item offsets out of order or outside the page");
                break;
            }
            if (static_cast<std::uint8_t>((*key)[0]) != kItemKeyData || key->size() != 5) {
                problem.add(ErrorKind::malformed, place, "key is not a 4-byte package number");
                continue;
            }
            const std::uint32_t number = rpm_bytes::Reader{*key, r.big_endian}.u32(1);
            if (number == 0) continue;  // rpm's counter of the next package number
            const std::string where = "package number " + std::to_string(number) + " (" + place + ")";
            std::string blob;
            const auto value_type = static_cast<std::uint8_t>((*value)[0]);
            if (value_type == kItemKeyData) {
                blob.assign(value->substr(1));
            } else if (value_type == kItemOffPage && value->size() >= 12) {
                const rpm_bytes::Reader v{*value, r.big_endian};
                auto data = db.overflow(v.u32(4), v.u32(8));
                if (!data) {
                    problem.add(data.error().at(where));
                    continue;
                }
                blob = std::move(*data);
            } else {
                problem.add(ErrorKind::malformed, where, "value of item type " + std::to_string(value_type) + " is not read");
                continue;
            }
            auto pkg = parse_rpm_header(blob, name);
            if (!pkg) {
                problem.add(pkg.error().at(where));
                continue;
            }
            out.push_back(std::move(*pkg));
        }
    }
    return out;
}

}  // namespace tarsier::pkg
