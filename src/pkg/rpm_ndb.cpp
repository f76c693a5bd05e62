// parse_rpm_ndb: rpm's NDB package file Packages.db (SUSE). Read from the format's facts
// (rpm lib/backend/ndb/rpmpkg.c), little-endian throughout:
//   - page 0 starts with the file header: "RpmP", version 0, generation, the number of
//     4096-byte slot pages, the next package index (16 bytes, then 16 unused);
//   - the slot pages are an array of 16-byte slots from byte 32 on: "Slot", package index
//     (0 = free), offset and length of the package's blob in 16-byte blocks;
//   - a blob: "BlbS", package index, generation, length of the header blob, the header
//     blob, padding, then a 12-byte tail: Adler-32 of everything before the tail, the
//     length again, "BlbE".
// Slots are checked against each other (no two blobs overlap), so the work done is
// bounded by the file's size whatever the slots say.
#include <algorithm>
#include <string>
#include <vector>

#include "pkg/inventory.hpp"
#include "pkg/rpm_bytes.hpp"
#include "pkg/rpm_problems.hpp"

namespace tarsier::pkg {
namespace {

using util::ErrorKind;

constexpr std::size_t kPageSize = 4096;
constexpr std::size_t kSlotSize = 16;
constexpr std::size_t kFirstSlot = 2;  // the file header takes the first two slots' room
constexpr std::size_t kBlockSize = 16;
constexpr std::size_t kBlobHead = 16;
constexpr std::size_t kBlobTail = 12;

std::uint32_t le32(std::string_view b, std::size_t at) {
    return static_cast<std::uint32_t>(rpm_bytes::little(b, at, 4));
}

bool magic_at(std::string_view b, std::size_t at, std::string_view magic) { return b.substr(at, 4) == magic; }

std::uint32_t adler32(std::string_view b) {
    constexpr std::uint32_t kMod = 65521;
    std::uint32_t a = 1, s = 0;
    std::size_t i = 0;
    while (i < b.size()) {
        // 5552 bytes is the longest run whose sums cannot overflow 32 bits.
        const std::size_t end = std::min(b.size(), i + 5552);
        for (; i < end; ++i) {
            a += static_cast<unsigned char>(b[i]);
            s += a;
        }
        a %= kMod;
        s %= kMod;
    }
    return (s << 16) | a;
}

struct Slot {
    std::size_t number = 0;  // position in the slot array
    std::uint32_t pkgidx = 0;
    std::uint64_t start = 0;   // byte offset of the blob
    std::uint64_t length = 0;  // bytes the slot reserves for it
};

std::string slot_place(const Slot& s) {
    return "slot " + std::to_string(s.number) + " (package index " + std::to_string(s.pkgidx) + ")";
}

}  // namespace

util::Result<std::vector<Package>> parse_rpm_ndb(std::string_view bytes, std::string_view file,
                                                 std::vector<Problem>& problems) {
    const std::string name(file);
    RpmProblems problem(problems, name);
    if (bytes.size() < 32) return problem.fatal(ErrorKind::truncated, "file header", "shorter than the 32-byte header");
    if (!magic_at(bytes, 0, "RpmP")) return problem.fatal(ErrorKind::malformed, "file header", "no \"RpmP\" magic");
    if (const auto version = le32(bytes, 4); version != 0)
        return problem.fatal(ErrorKind::malformed, "file header", "version " + std::to_string(version) + " (0 is known)");
    const std::uint64_t slot_pages = le32(bytes, 12);
    if (slot_pages == 0 || slot_pages * kPageSize > bytes.size())
        return problem.fatal(ErrorKind::truncated, "file header",
                      std::to_string(slot_pages) + " slot pages in a file of " + std::to_string(bytes.size()) + " bytes");
    const std::uint64_t slots_end = slot_pages * kPageSize;

    std::vector<Slot> slots;
    for (std::size_t n = kFirstSlot; n < slots_end / kSlotSize; ++n) {
        const std::size_t at = n * kSlotSize;
        Slot s{n, le32(bytes, at + 4), std::uint64_t{le32(bytes, at + 8)} * kBlockSize,
               std::uint64_t{le32(bytes, at + 12)} * kBlockSize};
        if (!magic_at(bytes, at, "Slot")) {
            problem.add(ErrorKind::malformed, "slot " + std::to_string(n), "no \"Slot\" magic");
            continue;
        }
        if (s.pkgidx == 0) continue;  // a free slot
        if (s.start < slots_end || s.length < kBlobHead + kBlobTail || s.start + s.length > bytes.size()) {
            problem.add(ErrorKind::malformed, slot_place(s),
                        "blob at byte " + std::to_string(s.start) + " of " + std::to_string(s.length) +
                            " bytes lies outside the blob area");
            continue;
        }
        slots.push_back(s);
    }

    // Blobs must not overlap; a slot that claims bytes another one holds is dropped.
    std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) { return a.start < b.start; });
    std::vector<Slot> kept;
    std::uint64_t end = 0;
    for (const Slot& s : slots) {
        if (s.start < end) {
            problem.add(ErrorKind::malformed, slot_place(s),
                        "blob at byte " + std::to_string(s.start) + " overlaps the one before it");
            continue;
        }
        end = s.start + s.length;
        kept.push_back(s);
    }
    // rpm lists packages by package index.
    std::sort(kept.begin(), kept.end(), [](const Slot& a, const Slot& b) { return a.pkgidx < b.pkgidx; });

    std::vector<Package> out;
    for (const Slot& s : kept) {
        const std::string_view blob = bytes.substr(s.start, s.length);
        auto bad = [&](const std::string& what) { problem.add(ErrorKind::malformed, slot_place(s), what); };
        const std::size_t tail = blob.size() - kBlobTail;
        if (!magic_at(blob, 0, "BlbS") || !magic_at(blob, tail + 8, "BlbE")) {
            bad("blob at byte " + std::to_string(s.start) + " has no \"BlbS\"/\"BlbE\" magic");
            continue;
        }
        if (le32(blob, 4) != s.pkgidx) {
            bad("blob at byte " + std::to_string(s.start) + " belongs to package index " +
                                              std::to_string(le32(blob, 4)));
            continue;
        }
        const std::uint64_t length = le32(blob, 12);
        if (length > tail - kBlobHead || le32(blob, tail + 4) != length) {
            bad("blob length " + std::to_string(length) + " does not fit its " +
                                              std::to_string(s.length) + "-byte slot");
            continue;
        }
        if (adler32(blob.substr(0, tail)) != le32(blob, tail)) {
            bad("blob at byte " + std::to_string(s.start) + " fails its Adler-32 checksum");
            continue;
        }
        auto pkg = parse_rpm_header(blob.substr(kBlobHead, length), name);
        if (!pkg) {
            problem.add(pkg.error().at(slot_place(s)));
            continue;
        }
        out.push_back(std::move(*pkg));
    }
    return out;
}

}  // namespace tarsier::pkg
