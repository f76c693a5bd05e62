// parse_rpm_sqlite: rpmdb.sqlite (rpm 4.16+), the table `Packages(hnum, blob)` whose blobs
// are rpm headers.
//
// Why libsqlite3 and not a page walker of our own: the SQLite file format (b-trees,
// overflow chains, freelists, pointer maps, WAL headers) is large, and libsqlite3 is
// Debian's, already a dependency, and hardened against corrupt files (SQLITE_CORRUPT is
// an error, never a crash: it is fuzzed continuously upstream). What it must not do here
// is touch the disk or run without bounds, so:
//   - the bytes are copied into an in-memory database with sqlite3_deserialize (the
//     "memdb" VFS): no file is opened, no -wal/-shm/journal is created, nothing is
//     written, temporary storage stays in memory; the connection is opened read-only
//     and the image READONLY;
//   - rpm opens its databases in WAL mode (file header bytes 18 and 19 are 2); memdb
//     cannot run WAL, so the copy says "rollback journal" (1) there. An image carries
//     no -wal file (and one would not be read), so the main file is the whole content;
//   - a hostile schema cannot make the query costly: sqlite3_limit bounds value length
//     and SQL size, a progress handler stops the statement after a number of virtual
//     machine steps proportional to the file's size, trusted_schema is off and the
//     connection is defensive.
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "pkg/inventory.hpp"
#include "pkg/rpm_problems.hpp"

namespace tarsier::pkg {
namespace {

using util::ErrorKind;

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStmt {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// Progress handler: counts calls (one per kProgressStep VM instructions) and asks SQLite
// to interrupt once the budget is spent.
constexpr int kProgressStep = 1000;
struct Budget {
    std::uint64_t left = 0;
};
int on_progress(void* p) {
    auto* b = static_cast<Budget*>(p);
    if (b->left == 0) return 1;
    --b->left;
    return 0;
}

util::Error sqlite_error(sqlite3* db, const std::string& where, int rc) {
    const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const int code = rc & 0xff;
    const ErrorKind kind = code == SQLITE_INTERRUPT || code == SQLITE_TOOBIG || code == SQLITE_NOMEM
                               ? ErrorKind::limit
                               : ErrorKind::malformed;
    return util::make_error(kind, where, std::string("sqlite: ") + (msg ? msg : "error"));
}

}  // namespace

util::Result<std::vector<Package>> parse_rpm_sqlite(std::string_view bytes, std::string_view file,
                                                    std::vector<Problem>& problems) {
    const std::string name(file);
    auto failed = [&](util::Error e) { return util::fail(e.in_file(name)); };
    static constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with its NUL
    if (bytes.size() < 100 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return failed(util::make_error(ErrorKind::malformed, "file header", "not an SQLite 3 database"));

    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_PRIVATECACHE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    std::unique_ptr<sqlite3, CloseDb> db(raw);
    if (rc != SQLITE_OK) return failed(sqlite_error(db.get(), "open", rc));
    sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
    // An rpm header is at most 256 MiB (rpm's own limit); the whole file is smaller still.
    sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, static_cast<int>(std::min<std::size_t>(bytes.size(), 0x10000000)));
    sqlite3_limit(db.get(), SQLITE_LIMIT_SQL_LENGTH, 1 << 16);
    sqlite3_limit(db.get(), SQLITE_LIMIT_ATTACHED, 0);
    // A sort (a hostile schema's hnum need not be the row id) must not spill to a
    // temporary file either.
    rc = sqlite3_exec(db.get(), "PRAGMA temp_store=MEMORY", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return failed(sqlite_error(db.get(), "open", rc));

    // SQLite owns (and frees, also when deserializing fails) the copy; it never grows it.
    auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
    if (!copy) return failed(util::make_error(ErrorKind::limit, "open", "out of memory for the database copy"));
    std::memcpy(copy, bytes.data(), bytes.size());
    if (copy[18] == 2) copy[18] = 1;  // WAL -> rollback journal, see the top of this file
    if (copy[19] == 2) copy[19] = 1;
    rc = sqlite3_deserialize(db.get(), "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                             static_cast<sqlite3_int64>(bytes.size()),
                             SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) return failed(sqlite_error(db.get(), "open", rc));

    // Reading every page a few times over is far below this; a loop in a hostile schema
    // or a cyclic b-tree is not.
    Budget budget{1000 + bytes.size() / 64};
    sqlite3_progress_handler(db.get(), kProgressStep, on_progress, &budget);

    sqlite3_stmt* raw_stmt = nullptr;
    rc = sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &raw_stmt, nullptr);
    std::unique_ptr<sqlite3_stmt, FinalizeStmt> stmt(raw_stmt);
    if (rc != SQLITE_OK) return failed(sqlite_error(db.get(), "table Packages", rc));

    std::vector<Package> out;
    RpmProblems problem(problems, name);
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        const sqlite3_int64 hnum = sqlite3_column_int64(stmt.get(), 0);
        const std::string where = "Packages row hnum " + std::to_string(hnum);
        const void* data = sqlite3_column_blob(stmt.get(), 1);
        const int size = sqlite3_column_bytes(stmt.get(), 1);
        auto pkg = parse_rpm_header(std::string_view(static_cast<const char*>(data), data ? size : 0), name);
        if (!pkg) {
            problem.add(pkg.error().at(where));
            continue;
        }
        out.push_back(std::move(*pkg));
    }
    if (rc != SQLITE_DONE) {
        // The rows already read stand; the damage is a problem beside them.
        if (out.empty()) return failed(sqlite_error(db.get(), "table Packages", rc));
        problem.add(sqlite_error(db.get(), "table Packages after " + std::to_string(out.size()) + " rows", rc));
    }
    return out;
}

}  // namespace tarsier::pkg
