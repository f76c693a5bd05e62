// read_rpm_databases: finds the one rpm database an image root uses and reads it.
#include "pkg/rpm_inventory.hpp"

#include <array>
#include <string>

#include "pkg/inventory.hpp"

namespace tarsier::pkg {
namespace {

using Reader = util::Result<std::vector<Package>> (*)(std::string_view, std::string_view, std::vector<Problem>&);

struct Format {
    const char* file;
    Reader read;
};

// rpm's own preference when several are present: SQLite (rpm 4.16+), then NDB, then the
// Berkeley DB left behind by older releases.
constexpr std::array kFormats{Format{"rpmdb.sqlite", parse_rpm_sqlite}, Format{"Packages.db", parse_rpm_ndb},
                              Format{"Packages", parse_rpm_bdb}};
// Where distributions keep it: the traditional place, and the merged-/usr one (Fedora
// 36+, openSUSE) that var/lib/rpm often links to.
constexpr std::array kDirectories{"var/lib/rpm", "usr/lib/sysimage/rpm"};

}  // namespace

void read_rpm_databases(const RootView& root, Inventory& inventory) {
    for (const Format& format : kFormats) {
        for (const char* dir : kDirectories) {
            const std::string path = std::string(dir) + "/" + format.file;
            const auto resolved = resolve(root, path);
            if (!resolved || root.kind(*resolved) != Kind::file) continue;
            inventory.databases.push_back(*resolved);
            const auto bytes = root.shared_bytes(*resolved);
            if (!bytes) {
                inventory.problems.push_back(util::make_error(util::ErrorKind::limit, "",
                                                              "not read (larger than the database size limit)")
                                                 .in_file(*resolved));
                return;
            }
            auto packages = format.read(*bytes, *resolved, inventory.problems);
            if (!packages) {
                inventory.problems.push_back(packages.error());
                return;
            }
            for (auto& p : *packages) inventory.packages.push_back(std::move(p));
            return;
        }
    }
}

}  // namespace tarsier::pkg
