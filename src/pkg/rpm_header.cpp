// parse_rpm_header: one rpm header blob as the three databases store it (the header
// without its 8-byte magic): index count il and data length dl (big-endian 32-bit), il
// index entries of tag, type, offset and count, then dl bytes of data. Every entry is
// checked against the data before it is used, so a hostile blob costs at most a pass
// over its own bytes and a bounded amount of memory.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/inventory.hpp"
#include "pkg/rpm_bytes.hpp"
#include "util/path.hpp"

namespace tarsier::pkg {
namespace {

using rpm_bytes::big;
using util::ErrorKind;
using util::fail;

// Tag numbers (rpm's rpmtag.h; the values are part of the on-disk format).
enum Tag : std::uint32_t {
    kName = 1000,
    kVersion = 1001,
    kRelease = 1002,
    kEpoch = 1003,
    kSummary = 1004,
    kSize = 1009,
    kVendor = 1011,
    kLicense = 1014,
    kPackager = 1015,
    kArch = 1022,
    kOldFilenames = 1027,
    kFileModes = 1030,
    kFileDigests = 1035,
    kSourceRpm = 1044,
    kDirIndexes = 1116,
    kBasenames = 1117,
    kDirnames = 1118,
    kLongSize = 5009,
    kFileDigestAlgo = 5011,
    kModularityLabel = 5096,
};
constexpr std::array kWanted{kName,      kVersion,    kRelease,    kEpoch,          kSummary,    kSize,
                             kVendor,    kLicense,    kPackager,   kArch,           kOldFilenames,
                             kFileModes, kFileDigests, kSourceRpm, kDirIndexes,     kBasenames,
                             kDirnames,  kLongSize,   kFileDigestAlgo, kModularityLabel};

// Entry types.
enum Type : std::uint32_t {
    kNull = 0,
    kChar = 1,
    kInt8 = 2,
    kInt16 = 3,
    kInt32 = 4,
    kInt64 = 5,
    kString = 6,
    kBin = 7,
    kStringArray = 8,
    kI18nString = 9,
};

// rpm's own limits on a header (hdrchkTags, hdrchkData in lib/header.c).
constexpr std::uint32_t kMaxEntries = 0xffff;
constexpr std::uint32_t kMaxData = 0x0fffffff;
constexpr std::size_t kEntrySize = 16;

struct Entry {
    std::uint32_t index = 0;  // position in the index, for error messages
    std::uint32_t tag = 0;
    std::uint32_t type = kNull;
    std::uint32_t offset = 0;
    std::uint32_t count = 0;
    bool present = false;
};

std::size_t fixed_size(std::uint32_t type) {
    switch (type) {
    case kChar:
    case kInt8:
    case kBin: return 1;
    case kInt16: return 2;
    case kInt32: return 4;
    case kInt64: return 8;
    default: return 0;
    }
}

// PGPHASHALGO values (RFC 4880 9.4) that FILEDIGESTALGO takes, as digest prefixes.
const char* digest_algorithm(std::uint32_t algo) {
    switch (algo) {
    case 1: return "md5";
    case 2: return "sha1";
    case 3: return "ripemd160";
    case 8: return "sha256";
    case 9: return "sha384";
    case 10: return "sha512";
    case 11: return "sha224";
    default: return nullptr;
    }
}

class Header {
public:
    explicit Header(std::string_view data) : m_data(data) {}

    // Records the entries of the wanted tags (a later entry of the same tag wins, as
    // rpm lets the entries added at install time override the immutable region).
    void add(const Entry& e) {
        for (std::size_t i = 0; i < kWanted.size(); ++i)
            if (kWanted[i] == e.tag) m_entries[i] = e;
    }

    [[nodiscard]] const Entry* find(Tag tag) const {
        for (std::size_t i = 0; i < kWanted.size(); ++i)
            if (kWanted[i] == tag) return m_entries[i].present ? &m_entries[i] : nullptr;
        return nullptr;
    }

    // The strings of a STRING, I18NSTRING or STRING_ARRAY entry; an absent tag is empty.
    util::Result<std::vector<std::string_view>> strings(Tag tag) const {
        std::vector<std::string_view> out;
        const Entry* e = find(tag);
        if (!e) return out;
        if (e->type != kString && e->type != kStringArray && e->type != kI18nString)
            return bad(*e, "type " + std::to_string(e->type) + " where strings were expected");
        const std::uint32_t count = e->type == kString ? 1 : e->count;
        // Each string takes at least its NUL: a count larger than the data left is a lie.
        if (count > m_data.size() - e->offset) return bad(*e, "count " + std::to_string(count) + " exceeds the data");
        out.reserve(count);
        std::size_t at = e->offset;
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::size_t nul = m_data.find('\0', at);
            if (nul == std::string_view::npos) return bad(*e, "string " + std::to_string(i) + " runs past the data");
            out.push_back(m_data.substr(at, nul - at));
            at = nul + 1;
        }
        return out;
    }

    // The first string of a string entry ("" when absent).
    util::Result<std::string> string(Tag tag) const {
        auto s = strings(tag);
        if (!s) return s.failure();
        return s->empty() ? std::string() : std::string(s->front());
    }

    // The values of an integer entry of `type`; an absent tag is empty.
    util::Result<std::vector<std::uint64_t>> integers(Tag tag, Type type) const {
        std::vector<std::uint64_t> out;
        const Entry* e = find(tag);
        if (!e) return out;
        if (e->type != type)
            return bad(*e, "type " + std::to_string(e->type) + " where " + std::to_string(type) + " was expected");
        const std::size_t n = fixed_size(type);
        out.reserve(e->count);  // bounded: the index check made offset + count * n <= dl
        for (std::uint32_t i = 0; i < e->count; ++i) out.push_back(big(m_data, e->offset + i * n, n));
        return out;
    }

    util::Failure bad(const Entry& e, const std::string& what) const {
        return fail(ErrorKind::malformed,
                    "header index entry " + std::to_string(e.index) + " (tag " + std::to_string(e.tag) + ")", what);
    }

private:
    std::string_view m_data;
    std::array<Entry, kWanted.size()> m_entries{};
};

// "util-linux-2.32.1-42.el8_8.src.rpm" -> "util-linux", "2.32.1-42.el8_8". A value of
// another shape (gpg-pubkey's "(none)") leaves both empty.
void split_source_rpm(Package& p) {
    std::string_view s = p.source_rpm;
    bool suffixed = false;
    for (std::string_view suffix : {".src.rpm", ".nosrc.rpm"}) {
        if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
            s.remove_suffix(suffix.size());
            suffixed = true;
            break;
        }
    }
    const auto release = s.rfind('-');
    if (!suffixed || release == std::string_view::npos || release == 0) return;
    const auto version = s.rfind('-', release - 1);
    if (version == std::string_view::npos || version == 0) return;
    p.source_name = std::string(s.substr(0, version));
    p.source_version = std::string(s.substr(version + 1));
}

util::Result<void> read_files(const Header& h, std::size_t blob_size, Package& p) {
    auto basenames = h.strings(kBasenames);
    if (!basenames) return basenames.failure();
    std::vector<std::string> paths;
    // A hostile header can name one long directory for many files: cap the bytes of the
    // paths it expands to (real headers stay far below: directories are shared).
    const std::size_t budget = 16 * blob_size + 4096;
    std::size_t spent = 0;
    if (!basenames->empty()) {
        auto dirnames = h.strings(kDirnames);
        if (!dirnames) return dirnames.failure();
        auto dirindexes = h.integers(kDirIndexes, kInt32);
        if (!dirindexes) return dirindexes.failure();
        if (dirindexes->size() != basenames->size())
            return h.bad(*h.find(kBasenames), std::to_string(basenames->size()) + " basenames but " +
                                                  std::to_string(dirindexes->size()) + " directory indexes");
        paths.reserve(basenames->size());
        for (std::size_t i = 0; i < basenames->size(); ++i) {
            const std::uint64_t d = (*dirindexes)[i];
            if (d >= dirnames->size())
                return h.bad(*h.find(kDirIndexes), "file " + std::to_string(i) + " names directory " +
                                                       std::to_string(d) + " of " +
                                                       std::to_string(dirnames->size()));
            spent += (*dirnames)[d].size() + (*basenames)[i].size();
            if (spent > budget)
                return fail(ErrorKind::limit, "header", "file names expand past " + std::to_string(budget) + " bytes");
            std::string path((*dirnames)[d]);
            path += (*basenames)[i];
            paths.push_back(std::move(path));
        }
    } else {
        auto old = h.strings(kOldFilenames);
        if (!old) return old.failure();
        paths.assign(old->begin(), old->end());
    }
    if (paths.empty()) return {};

    auto modes = h.integers(kFileModes, kInt16);
    if (!modes) return modes.failure();
    auto digests = h.strings(kFileDigests);
    if (!digests) return digests.failure();
    auto algos = h.integers(kFileDigestAlgo, kInt32);
    if (!algos) return algos.failure();
    if (!modes->empty() && modes->size() != paths.size())
        return h.bad(*h.find(kFileModes), std::to_string(modes->size()) + " modes for " +
                                              std::to_string(paths.size()) + " files");
    if (!digests->empty() && digests->size() != paths.size())
        return h.bad(*h.find(kFileDigests), std::to_string(digests->size()) + " digests for " +
                                                std::to_string(paths.size()) + " files");
    // No FILEDIGESTALGO means MD5 (the headers from before rpm 4.6 have none).
    const std::uint32_t algo = algos->empty() ? 1 : static_cast<std::uint32_t>(algos->front());
    // An algorithm with no name here leaves the digests out rather than mislabel them.
    const char* algo_name = digest_algorithm(algo);
    const std::string prefix = algo_name ? std::string(algo_name) + ":" : std::string();

    p.files.reserve(paths.size(), 0);
    std::string digest;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        digest.clear();
        if (algo_name && !digests->empty() && !(*digests)[i].empty()) {
            digest += prefix;
            digest += (*digests)[i];
        }
        p.files.add(util::clean_path_clamped(paths[i]), digest, !modes->empty() && ((*modes)[i] & 0170000) == 0040000);
    }
    return {};
}

util::Result<Package> parse(std::string_view blob) {
    if (blob.size() < 8) return fail(ErrorKind::truncated, "header", "shorter than its 8-byte preamble");
    const std::uint64_t il = big(blob, 0, 4);
    const std::uint64_t dl = big(blob, 4, 4);
    if (il == 0 || il > kMaxEntries)
        return fail(ErrorKind::malformed, "header", "index count " + std::to_string(il) + " out of range");
    if (dl > kMaxData) return fail(ErrorKind::malformed, "header", "data length " + std::to_string(dl) + " out of range");
    const std::uint64_t need = 8 + il * kEntrySize + dl;
    if (need > blob.size())
        return fail(ErrorKind::truncated, "header",
                    std::to_string(il) + " entries and " + std::to_string(dl) + " data bytes need " +
                        std::to_string(need) + " bytes, the blob has " + std::to_string(blob.size()));
    const std::string_view data = blob.substr(8 + il * kEntrySize, dl);

    Header h(data);
    for (std::uint32_t i = 0; i < il; ++i) {
        const std::size_t at = 8 + i * kEntrySize;
        Entry e{i, static_cast<std::uint32_t>(big(blob, at, 4)), static_cast<std::uint32_t>(big(blob, at + 4, 4)),
                static_cast<std::uint32_t>(big(blob, at + 8, 4)), static_cast<std::uint32_t>(big(blob, at + 12, 4)),
                true};
        if (e.type > kI18nString) return h.bad(e, "unknown type " + std::to_string(e.type));
        // The region tags (61-63) point at a trailer with a negative offset; they say
        // which entries are immutable and carry no field read here.
        if (e.tag >= 61 && e.tag <= 63) continue;
        if (e.offset >= dl) return h.bad(e, "offset " + std::to_string(e.offset) + " past the data");
        if (e.count == 0) return h.bad(e, "count 0");
        if (const std::size_t n = fixed_size(e.type); n != 0 && std::uint64_t{e.count} * n > dl - e.offset)
            return h.bad(e, "count " + std::to_string(e.count) + " runs past the data");
        h.add(e);
    }

    Package p;
    p.ecosystem = Ecosystem::rpm;
    auto put = [&](std::string& field, Tag tag) -> util::Result<void> {
        auto s = h.string(tag);
        if (!s) return s.failure();
        field = std::move(*s);
        return {};
    };
    std::string version, release;
    for (auto [field, tag] : {std::pair{&p.name, kName}, {&version, kVersion}, {&release, kRelease},
                              {&p.arch, kArch}, {&p.source_rpm, kSourceRpm}, {&p.license, kLicense},
                              {&p.vendor, kVendor}, {&p.modularity_label, kModularityLabel},
                              {&p.maintainer, kPackager}, {&p.description, kSummary}}) {
        if (auto r = put(*field, tag); !r) return r.failure();
    }
    if (p.name.empty()) return fail(ErrorKind::malformed, "header", "no NAME tag");
    p.version = release.empty() ? version : version + "-" + release;
    split_source_rpm(p);

    auto epoch = h.integers(kEpoch, kInt32);
    if (!epoch) return epoch.failure();
    if (!epoch->empty()) p.epoch = static_cast<std::uint32_t>(epoch->front());
    auto longsize = h.integers(kLongSize, kInt64);
    if (!longsize) return longsize.failure();
    auto size = h.integers(kSize, kInt32);
    if (!size) return size.failure();
    if (!longsize->empty())
        p.installed_size = longsize->front();
    else if (!size->empty())
        p.installed_size = size->front();

    if (auto r = read_files(h, blob.size(), p); !r) return r.failure();
    return p;
}

}  // namespace

util::Result<Package> parse_rpm_header(std::string_view blob, std::string_view file) {
    auto r = parse(blob);
    if (!r) return util::fail(r.error().in_file(std::string(file)));
    r->db_file = std::string(file);
    return r;
}

}  // namespace tarsier::pkg
