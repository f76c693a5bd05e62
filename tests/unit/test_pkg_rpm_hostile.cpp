// The rpm header and database readers on inputs built here from the formats' specs:
// well-formed ones (both Berkeley DB byte orders, inline and overflow values, NDB slots)
// and damaged, truncated and hostile ones, which must give a clear error naming the file
// and the place, never a crash, an overread (the sanitizer builds run these) or a huge
// allocation.
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <string>
#include <vector>

#include "pkg/inventory.hpp"
#include "rpm_header_builder.hpp"

using namespace tarsier;
using test::RpmHeaderBuilder;

namespace {

RpmHeaderBuilder small_package(const std::string& name) {
    RpmHeaderBuilder b;
    b.string(1000, name)
        .string(1001, "1.0")
        .string(1002, "3.el9")
        .string(1022, "x86_64")
        .string(1044, name + "-1.0-3.el9.src.rpm")
        .int32s(1003, {2})
        .strings(1118, {"/usr/bin/", "/etc/"})
        .strings(1117, {"tool", "tool.conf", "tool.d"})
        .int32s(1116, {0, 1, 1})
        .int16s(1030, {0100755, 0100644, 040755})
        .strings(1035, {std::string(64, 'a'), std::string(64, 'b'), ""})
        .int32s(5011, {8});
    return b;
}

std::string where_of(const util::Error& e) { return e.to_string(); }

// ---- a Berkeley DB hash file, written in either byte order --------------------------

struct BdbWriter {
    bool big = false;
    std::size_t page_size = 512;
    std::vector<std::string> pages;

    void put(std::string& page, std::size_t at, std::uint64_t v, int n) const {
        for (int i = 0; i < n; ++i) page[at + i] = static_cast<char>((v >> (8 * (big ? n - 1 - i : i))) & 0xff);
    }
    std::string page(std::uint32_t number, std::uint8_t type) const {
        std::string p(page_size, '\0');
        put(p, 8, number, 4);
        p[25] = static_cast<char>(type);
        return p;
    }
    // A hash page holding the items (each: type byte + bytes) in key/value order.
    std::string hash_page(std::uint32_t number, const std::vector<std::string>& items) const {
        std::string p = page(number, 13);
        put(p, 20, items.size(), 2);
        std::size_t end = page_size;
        for (std::size_t i = 0; i < items.size(); ++i) {
            end -= items[i].size();
            p.replace(end, items[i].size(), items[i]);
            put(p, 26 + 2 * i, end, 2);
        }
        put(p, 22, end, 2);
        return p;
    }
    std::string key(std::uint32_t n) const {
        std::string k(5, '\0');
        k[0] = 1;
        put(k, 1, n, 4);
        return k;
    }
    std::string off_page(std::uint32_t first, std::uint32_t length) const {
        std::string v(12, '\0');
        v[0] = 3;
        put(v, 4, first, 4);
        put(v, 8, length, 4);
        return v;
    }
    // Pages [first, ...) holding `data`, chained.
    void overflow(std::uint32_t first, const std::string& data) {
        const std::size_t room = page_size - 26;
        for (std::size_t at = 0, n = first; at < data.size(); at += room, ++n) {
            std::string p = page(static_cast<std::uint32_t>(n), 7);
            const std::size_t len = std::min(room, data.size() - at);
            put(p, 22, len, 2);
            put(p, 16, at + len < data.size() ? n + 1 : 0, 4);
            p.replace(26, len, data.substr(at, len));
            pages.push_back(p);
        }
    }
    std::string file() const {
        std::string meta = page(0, 8);
        put(meta, 12, 0x061561, 4);
        put(meta, 16, 9, 4);
        put(meta, 20, page_size, 4);
        put(meta, 32, pages.size(), 4);  // last page number (pages excludes the meta page)
        std::string out = meta;
        for (const auto& p : pages) out += p;
        return out;
    }
};

std::string bdb_file(bool big) {
    BdbWriter w;
    w.big = big;
    const std::string inline_header = RpmHeaderBuilder().string(1000, "tiny").string(1001, "1").string(1002, "1").blob();
    const std::string big_header = small_package("libbig").string(1004, std::string(1500, 's')).blob();
    std::string counter(5, '\0');
    counter[0] = 1;
    w.pages.push_back(w.hash_page(1, {w.key(0), counter, w.key(7), "\x01" + inline_header, w.key(9),
                                      w.off_page(2, static_cast<std::uint32_t>(big_header.size()))}));
    w.overflow(2, big_header);
    return w.file();
}

// ---- an NDB Packages.db ------------------------------------------------------------

std::uint32_t adler32(std::string_view b) {
    std::uint32_t a = 1, s = 0;
    for (unsigned char c : b) {
        a = (a + c) % 65521;
        s = (s + a) % 65521;
    }
    return (s << 16) | a;
}

void put_le(std::string& out, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// One slot page, then one blob per header, each in its own 16-byte blocks.
std::string ndb_file(const std::vector<std::string>& headers) {
    std::string out(4096, '\0');
    out.replace(0, 4, "RpmP");
    put_le(out, 12, 1);
    for (std::size_t i = 0; i < (4096 / 16) - 2; ++i) out.replace((i + 2) * 16, 4, "Slot");
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const std::size_t blocks = (16 + headers[i].size() + 12 + 15) / 16;
        std::string blob(blocks * 16, '\0');
        blob.replace(0, 4, "BlbS");
        put_le(blob, 4, static_cast<std::uint32_t>(i + 1));
        put_le(blob, 12, static_cast<std::uint32_t>(headers[i].size()));
        blob.replace(16, headers[i].size(), headers[i]);
        const std::size_t tail = blob.size() - 12;
        put_le(blob, tail + 4, static_cast<std::uint32_t>(headers[i].size()));
        blob.replace(tail + 8, 4, "BlbE");
        put_le(blob, tail, adler32(std::string_view(blob).substr(0, tail)));
        const std::size_t slot = (i + 2) * 16;
        put_le(out, slot + 4, static_cast<std::uint32_t>(i + 1));
        put_le(out, slot + 8, static_cast<std::uint32_t>(out.size() / 16));
        put_le(out, slot + 12, static_cast<std::uint32_t>(blocks));
        out += blob;
    }
    return out;
}

// An SQLite database made by running `sql` on an empty in-memory one, as file bytes.
std::string sqlite_file(const std::string& sql, const std::vector<std::string>& blobs = {}) {
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    BOOST_REQUIRE_MESSAGE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK, sqlite3_errmsg(db));
    for (const auto& b : blobs) {
        sqlite3_stmt* st = nullptr;
        BOOST_REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &st, nullptr) == SQLITE_OK);
        sqlite3_bind_blob(st, 1, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
        BOOST_REQUIRE(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_finalize(st);
    }
    sqlite3_int64 size = 0;
    unsigned char* bytes = sqlite3_serialize(db, "main", &size, 0);
    std::string out(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
    sqlite3_free(bytes);
    sqlite3_close(db);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pkg_rpm_header)

BOOST_AUTO_TEST_CASE(fields_and_files_of_a_built_header) {
    auto p = pkg::parse_rpm_header(small_package("tool").blob(), "db");
    BOOST_REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().to_string()));
    BOOST_TEST(p->name == "tool");
    BOOST_TEST(p->version == "1.0-3.el9");
    BOOST_TEST(p->epoch.value_or(99) == 2U);
    BOOST_TEST(p->full_version() == "2:1.0-3.el9");
    BOOST_TEST(p->source_name == "tool");
    BOOST_TEST(p->source_version == "1.0-3.el9");
    BOOST_REQUIRE_EQUAL(p->files.size(), 3U);
    BOOST_TEST(p->files[0].path == "usr/bin/tool");
    BOOST_TEST(p->files[0].digest == "sha256:" + std::string(64, 'a'));
    BOOST_TEST(p->files[2].path == "etc/tool.d");
    BOOST_TEST(p->files[2].directory);
    BOOST_TEST(p->files[2].digest.empty());
}

BOOST_AUTO_TEST_CASE(longsize_wins_over_size_and_i18n_summary_is_read) {
    std::string size64;
    RpmHeaderBuilder::put(size64, 5000000000ULL, 8);
    RpmHeaderBuilder b;
    b.string(1000, "big").int32s(1009, {123}).raw(5009, RpmHeaderBuilder::kInt64, 1, size64, 8);
    b.raw(1004, RpmHeaderBuilder::kI18n, 2, std::string("C summary\0de summary\0", 22), 1);
    auto p = pkg::parse_rpm_header(b.blob(), "db");
    BOOST_REQUIRE(p.ok());
    BOOST_TEST(p->installed_size.value_or(0) == 5000000000ULL);
    BOOST_TEST(p->description == "C summary");
    BOOST_TEST(!p->epoch.has_value());
    BOOST_TEST(p->files.empty());
}

BOOST_AUTO_TEST_CASE(no_digest_algorithm_means_md5_and_old_filenames_are_read) {
    RpmHeaderBuilder b;
    b.string(1000, "old").strings(1027, {"/bin/a", "/bin/b"}).strings(1035, {"0123", ""});
    auto p = pkg::parse_rpm_header(b.blob(), "db");
    BOOST_REQUIRE(p.ok());
    BOOST_REQUIRE_EQUAL(p->files.size(), 2U);
    BOOST_TEST(p->files[0].path == "bin/a");
    BOOST_TEST(p->files[0].digest == "md5:0123");
}

BOOST_AUTO_TEST_CASE(every_truncation_is_an_error_naming_the_file) {
    const std::string blob = small_package("tool").blob();
    for (std::size_t n = 0; n < blob.size(); ++n) {
        auto p = pkg::parse_rpm_header(std::string_view(blob).substr(0, n), "var/lib/rpm/x");
        BOOST_REQUIRE_MESSAGE(!p.ok(), "a header cut at byte " << n << " parsed");
        BOOST_TEST(p.error().file == "var/lib/rpm/x");
        BOOST_TEST(!p.error().where.empty());
    }
}

BOOST_AUTO_TEST_CASE(huge_counts_and_lengths_are_refused_before_allocating) {
    std::string blob = small_package("tool").blob();
    std::string huge_il = blob;
    huge_il.replace(0, 4, "\xff\xff\xff\xff");
    auto p = pkg::parse_rpm_header(huge_il, "db");
    BOOST_REQUIRE(!p.ok());
    BOOST_TEST(where_of(p.error()).find("index count") != std::string::npos);

    std::string huge_dl = blob;
    huge_dl.replace(4, 4, "\x7f\xff\xff\xff");
    BOOST_TEST(!pkg::parse_rpm_header(huge_dl, "db").ok());

    // A string array claiming 2^31 strings.
    RpmHeaderBuilder b;
    b.string(1000, "x").raw(1117, RpmHeaderBuilder::kStringArray, 0x80000000U, std::string("a\0", 2), 1);
    p = pkg::parse_rpm_header(b.blob(), "db");
    BOOST_REQUIRE(!p.ok());
    BOOST_TEST(where_of(p.error()).find("header index entry 1 (tag 1117)") != std::string::npos, where_of(p.error()));

    // An int32 array running past the data.
    RpmHeaderBuilder c;
    c.string(1000, "x").raw(1116, RpmHeaderBuilder::kInt32, 0x40000000U, std::string(8, '\0'), 4);
    BOOST_TEST(!pkg::parse_rpm_header(c.blob(), "db").ok());
}

BOOST_AUTO_TEST_CASE(strings_without_their_nul_and_offsets_past_the_data) {
    RpmHeaderBuilder b;
    b.string(1000, "x").raw(1014, RpmHeaderBuilder::kString, 1, "GPL", 1);
    auto p = pkg::parse_rpm_header(b.blob(), "db");
    BOOST_REQUIRE(!p.ok());
    BOOST_TEST(where_of(p.error()).find("tag 1014") != std::string::npos, where_of(p.error()));

    RpmHeaderBuilder c;
    c.string(1000, "x").entry(1001, RpmHeaderBuilder::kString, 4000, 1);
    BOOST_TEST(!pkg::parse_rpm_header(c.blob(), "db").ok());

    RpmHeaderBuilder d;
    d.string(1000, "x").entry(1001, 42, 0, 1);
    p = pkg::parse_rpm_header(d.blob(), "db");
    BOOST_REQUIRE(!p.ok());
    BOOST_TEST(where_of(p.error()).find("unknown type 42") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(inconsistent_file_arrays) {
    RpmHeaderBuilder b;
    b.string(1000, "x").strings(1118, {"/a/"}).strings(1117, {"f", "g"}).int32s(1116, {0, 5});
    auto p = pkg::parse_rpm_header(b.blob(), "db");
    BOOST_REQUIRE(!p.ok());
    BOOST_TEST(where_of(p.error()).find("tag 1116") != std::string::npos, where_of(p.error()));

    RpmHeaderBuilder c;
    c.string(1000, "x").strings(1118, {"/a/"}).strings(1117, {"f", "g"}).int32s(1116, {0});
    BOOST_TEST(!pkg::parse_rpm_header(c.blob(), "db").ok());

    RpmHeaderBuilder d;
    d.string(1000, "x").strings(1118, {"/a/"}).strings(1117, {"f"}).int32s(1116, {0}).int16s(1030, {1, 2});
    BOOST_TEST(!pkg::parse_rpm_header(d.blob(), "db").ok());

    RpmHeaderBuilder e;  // EPOCH as a string
    e.string(1000, "x").string(1003, "1");
    BOOST_TEST(!pkg::parse_rpm_header(e.blob(), "db").ok());

    RpmHeaderBuilder f;  // no NAME
    f.string(1001, "1");
    BOOST_TEST(!pkg::parse_rpm_header(f.blob(), "db").ok());
}

// One long directory named by many files: the paths would take gigabytes.
BOOST_AUTO_TEST_CASE(file_name_expansion_is_bounded) {
    const std::size_t files = 100000;
    std::string directory(8002, 'd');  // built in place: GCC 12 warns (-Wrestrict) on "/" + s + "/"
    directory.front() = directory.back() = '/';
    RpmHeaderBuilder b;
    b.string(1000, "bomb")
        .strings(1118, {directory})
        .strings(1117, std::vector<std::string>(files, ""))
        .int32s(1116, std::vector<std::uint32_t>(files, 0));
    auto p = pkg::parse_rpm_header(b.blob(), "db");
    BOOST_REQUIRE(!p.ok());
    BOOST_TEST((p.error().kind == util::ErrorKind::limit));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pkg_rpm_databases)

BOOST_AUTO_TEST_CASE(bdb_both_byte_orders_inline_and_overflow_values) {
    for (bool big : {false, true}) {
        const std::string file = bdb_file(big);
        std::vector<pkg::Problem> problems;
        auto packages = pkg::parse_rpm_bdb(file, "Packages", problems);
        BOOST_REQUIRE_MESSAGE(packages.ok(), (packages.ok() ? "" : packages.error().to_string()));
        BOOST_TEST(problems.empty());
        BOOST_REQUIRE_EQUAL(packages->size(), 2U);
        BOOST_TEST((*packages)[0].name == "tiny");
        BOOST_TEST((*packages)[1].name == "libbig");
        BOOST_TEST((*packages)[1].files.size() == 3U);
    }
}

BOOST_AUTO_TEST_CASE(bdb_damage_is_a_problem_naming_the_page) {
    const std::string good = bdb_file(false);
    std::vector<pkg::Problem> problems;
    // The overflow chain loops back on itself.
    std::string loop = good;
    loop[512 * 2 + 16] = 2;  // page 2's next page: itself
    loop[512 * 2 + 17] = loop[512 * 2 + 18] = loop[512 * 2 + 19] = 0;
    auto packages = pkg::parse_rpm_bdb(loop, "Packages", problems);
    BOOST_REQUIRE(packages.ok());
    BOOST_TEST(packages->size() == 1U);
    BOOST_REQUIRE_EQUAL(problems.size(), 1U);
    BOOST_TEST(problems[0].to_string().find("Packages: package number 9") == 0, problems[0].to_string());
    BOOST_TEST(problems[0].to_string().find("overflow page 2") != std::string::npos, problems[0].to_string());

    // Truncated: the file ends before its last page.
    problems.clear();
    packages = pkg::parse_rpm_bdb(std::string_view(good).substr(0, 512 * 3), "Packages", problems);
    BOOST_REQUIRE(packages.ok());
    BOOST_TEST(!problems.empty());

    // Not a hash database; a bad page size.
    problems.clear();
    BOOST_TEST(!pkg::parse_rpm_bdb(std::string(4096, 'x'), "Packages", problems).ok());
    std::string bad_size = good;
    bad_size[20] = 3;
    BOOST_TEST(!pkg::parse_rpm_bdb(bad_size, "Packages", problems).ok());
}

BOOST_AUTO_TEST_CASE(ndb_slots_blobs_and_their_damage) {
    const std::string good = ndb_file({small_package("one").blob(), small_package("two").blob()});
    std::vector<pkg::Problem> problems;
    auto packages = pkg::parse_rpm_ndb(good, "Packages.db", problems);
    BOOST_REQUIRE_MESSAGE(packages.ok(), (packages.ok() ? "" : packages.error().to_string()));
    BOOST_TEST(problems.empty());
    BOOST_REQUIRE_EQUAL(packages->size(), 2U);
    BOOST_TEST((*packages)[1].name == "two");

    // A flipped byte inside the second blob fails its checksum.
    std::string flipped = good;
    flipped[flipped.size() - 40] ^= 0x20;
    packages = pkg::parse_rpm_ndb(flipped, "Packages.db", problems);
    BOOST_REQUIRE(packages.ok());
    BOOST_TEST(packages->size() == 1U);
    BOOST_REQUIRE_EQUAL(problems.size(), 1U);
    BOOST_TEST(problems[0].to_string().find("Packages.db: slot 3 (package index 2)") == 0, problems[0].to_string());

    // Slot 3 claims slot 2's blob: overlapping blobs.
    problems.clear();
    std::string overlap = good;
    overlap.replace(3 * 16 + 8, 8, good.substr(2 * 16 + 8, 8));
    packages = pkg::parse_rpm_ndb(overlap, "Packages.db", problems);
    BOOST_REQUIRE(packages.ok());
    BOOST_TEST(packages->size() == 1U);
    BOOST_TEST(problems.size() == 1U);

    // A slot pointing far past the end; a header claiming 2^32-1 slot pages.
    problems.clear();
    std::string far = good;
    far.replace(2 * 16 + 8, 4, "\xff\xff\xff\x0f");
    packages = pkg::parse_rpm_ndb(far, "Packages.db", problems);
    BOOST_REQUIRE(packages.ok());
    BOOST_TEST(problems.size() == 1U);
    std::string pages = good;
    pages.replace(12, 4, "\xff\xff\xff\xff");
    auto failed = pkg::parse_rpm_ndb(pages, "Packages.db", problems);
    BOOST_REQUIRE(!failed.ok());
    BOOST_TEST(failed.error().to_string().find("Packages.db: file header") == 0, failed.error().to_string());

    for (std::size_t n = 0; n < good.size(); n += 7) {
        std::vector<pkg::Problem> p;
        (void)pkg::parse_rpm_ndb(std::string_view(good).substr(0, n), "Packages.db", p);
    }
}

// A slot page of nothing but damage: the list of problems stays short.
BOOST_AUTO_TEST_CASE(problems_per_database_are_capped) {
    std::string file = ndb_file({});
    for (std::size_t at = 32; at < 4096; at += 16) file[at] = 'X';
    std::vector<pkg::Problem> problems;
    auto packages = pkg::parse_rpm_ndb(file, "Packages.db", problems);
    BOOST_REQUIRE(packages.ok());
    BOOST_REQUIRE_EQUAL(problems.size(), 51U);
    BOOST_TEST(problems[0].to_string() == "Packages.db: slot 2: no \"Slot\" magic");
    BOOST_TEST(problems[50].to_string() == "Packages.db: 204 more problems not listed");
}

BOOST_AUTO_TEST_CASE(sqlite_rows_that_are_not_headers_are_problems) {
    const std::string file = sqlite_file(
        "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);",
        {small_package("one").blob(), "garbage", small_package("two").blob()});
    std::vector<pkg::Problem> problems;
    auto packages = pkg::parse_rpm_sqlite(file, "rpmdb.sqlite", problems);
    BOOST_REQUIRE_MESSAGE(packages.ok(), (packages.ok() ? "" : packages.error().to_string()));
    BOOST_REQUIRE_EQUAL(packages->size(), 2U);
    BOOST_TEST((*packages)[1].name == "two");
    BOOST_REQUIRE_EQUAL(problems.size(), 1U);
    BOOST_TEST(problems[0].to_string() == "rpmdb.sqlite: Packages row hnum 2: header: shorter than its 8-byte preamble");
}

// A schema whose Packages is a view that would never end: views are not run at all.
BOOST_AUTO_TEST_CASE(sqlite_hostile_schema_is_refused) {
    const std::string file = sqlite_file(
        "CREATE VIEW Packages AS WITH RECURSIVE n(hnum) AS (SELECT 1 UNION ALL SELECT hnum + 1 FROM n) "
        "SELECT hnum, zeroblob(1000) AS blob FROM n;");
    std::vector<pkg::Problem> problems;
    auto packages = pkg::parse_rpm_sqlite(file, "rpmdb.sqlite", problems);
    BOOST_REQUIRE(!packages.ok());
    BOOST_TEST(packages.error().to_string().find("rpmdb.sqlite: table Packages: sqlite: ") == 0,
               packages.error().to_string());
}

// 8000 rows whose blobs are NULL, in a table where hnum is not the row id (so the rows
// are sorted): every row is a problem, the list is capped, the read ends.
BOOST_AUTO_TEST_CASE(sqlite_rows_of_null_blobs) {
    const std::string file = sqlite_file(
        "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB);"
        "CREATE TABLE t (x);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO t SELECT i FROM n;"
        "DROP TABLE Packages; CREATE TABLE Packages (hnum, blob);"
        "INSERT INTO Packages SELECT a.x * 10000 + b.x * 100 + c.x, NULL FROM t a, t b, t c;");
    std::vector<pkg::Problem> problems;
    auto packages = pkg::parse_rpm_sqlite(file, "rpmdb.sqlite", problems);
    BOOST_REQUIRE(packages.ok());
    BOOST_TEST(packages->empty());
    BOOST_TEST(problems.size() == 51U);
}

BOOST_AUTO_TEST_CASE(sqlite_that_is_not_an_rpm_database) {
    std::vector<pkg::Problem> problems;
    auto r = pkg::parse_rpm_sqlite("not sqlite at all", "rpmdb.sqlite", problems);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().to_string().find("rpmdb.sqlite: file header") == 0, r.error().to_string());
    std::string garbage = std::string("SQLite format 3", 16) + std::string(4096 - 16, '\x5a');
    r = pkg::parse_rpm_sqlite(garbage, "rpmdb.sqlite", problems);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().file == "rpmdb.sqlite");
}

BOOST_AUTO_TEST_SUITE_END()
