/// libFuzzer target: rpm package databases. Every input goes to the four readers: one
/// header blob (parse_rpm_header), rpmdb.sqlite (parse_rpm_sqlite, libsqlite3 on an
/// in-memory copy), NDB Packages.db (parse_rpm_ndb) and Berkeley DB hash Packages
/// (parse_rpm_bdb). Each must return packages, problems or an error naming the file,
/// never crash, overread, hang or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pkg/inventory.hpp"

using namespace tarsier;

namespace {

void check(const util::Result<std::vector<pkg::Package>>& r, const std::vector<pkg::Problem>& problems,
           std::string_view file) {
    if (!r.ok() && r.error().file != file) __builtin_trap();
    for (const auto& p : problems)
        if (p.file != file) __builtin_trap();
    if (r.ok())
        for (const auto& p : *r)
            for (const auto& f : p.files)
                if (!f.path.empty() && f.path.front() == '/') __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto h = pkg::parse_rpm_header(bytes, "header"); !h.ok() && h.error().file != "header") __builtin_trap();
    std::vector<pkg::Problem> problems;
    check(pkg::parse_rpm_sqlite(bytes, "rpmdb.sqlite", problems), problems, "rpmdb.sqlite");
    problems.clear();
    check(pkg::parse_rpm_ndb(bytes, "Packages.db", problems), problems, "Packages.db");
    problems.clear();
    check(pkg::parse_rpm_bdb(bytes, "Packages", problems), problems, "Packages");
    return 0;
}
