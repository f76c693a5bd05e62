// Every dpkg and apk database of ../shared/corpus/pkgdb read by read_inventory and
// compared, as sets, with the listings the real tools printed (expected*.tsv: dpkg-query,
// dpkg-deb, apk-tools 2.10.4; see the corpus's SOURCES.md and each folder's README.md).
// os-release is checked against what a shell reads when it sources the file.
#include <boost/test/unit_test.hpp>

#include <stdlib.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "pkg/inventory.hpp"
#include "pkg_apk_version_pairs.hpp"
#include "pkg_roots.hpp"

using namespace tarsier;

namespace {

const std::string kPkgdb = TARSIER_SOURCE_ROOT "/../shared/corpus/pkgdb/";

using Row = std::vector<std::string>;
using Rows = std::multiset<Row>;

Row split_tabs(const std::string& line) {
    Row row;
    std::size_t start = 0;
    for (;;) {
        const auto tab = line.find('\t', start);
        row.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) return row;
        start = tab + 1;
    }
}

std::vector<Row> read_tsv(const std::string& path) {
    std::ifstream in(path);
    BOOST_TEST_REQUIRE(in.good(), path);
    std::vector<Row> rows;
    std::string line;
    while (std::getline(in, line)) rows.push_back(split_tabs(line));
    return rows;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// The corpus copy keeps Debian's etc/os-release symlink as a file holding its target
/// (SOURCES.md: "Debian's /etc/os-release is a relative symlink to ../usr/lib/os-release").
const std::map<std::string, std::string> kDebianOsReleaseLink = {{"etc/os-release", "../usr/lib/os-release"}};

pkg::Inventory read(const std::string& folder, const std::map<std::string, std::string>& links = {}) {
    return pkg::read_inventory(testing::DirRoot(kPkgdb + folder + "/root", links));
}

/// The rows only one side has, for the failure message.
std::string difference(const Rows& want, const Rows& got) {
    std::string out;
    auto show = [&](const char* side, const Rows& a, const Rows& b) {
        for (const auto& row : a) {
            if (b.count(row) >= a.count(row)) continue;
            out += std::string("\n  ") + side;
            for (const auto& field : row) out += " [" + field + "]";
        }
    };
    show("expected only:", want, got);
    show("read only:", got, want);
    return out;
}

std::string name_of(const std::string& binary_package) { return binary_package.substr(0, binary_package.find(':')); }

/// dpkg's raw Source field as dpkg-query's ${Source} prints it.
std::string raw_source(const pkg::Package& p) {
    if (p.source_name == p.name && p.source_version == p.version) return "";
    if (p.source_version == p.version) return p.source_name;
    return p.source_name + " (" + p.source_version + ")";
}

/// expected.tsv of a dpkg folder: Package, Version, Architecture, Source, db:Status-Status.
void check_dpkg_packages(const std::string& folder, const pkg::Inventory& inv) {
    Rows want, got;
    for (auto& row : read_tsv(kPkgdb + folder + "/expected.tsv")) want.insert(row);
    for (const auto& p : inv.packages) {
        BOOST_TEST(p.ecosystem == pkg::Ecosystem::deb);
        got.insert({p.name, p.version, p.arch, raw_source(p), pkg::state_name(p.state)});
    }
    BOOST_TEST((got == want), folder << ": packages differ from expected.tsv" << difference(want, got));
}

/// expected-extra.tsv: binary:Package, source:Package, source:Version, db:Status-Abbrev,
/// Status, Installed-Size, Multi-Arch, Provides. The model has no want/flag, Multi-Arch
/// or Provides: compared are the name, the source, the state and the size.
void check_dpkg_extra(const std::string& folder, const pkg::Inventory& inv) {
    Rows want, got;
    for (auto& row : read_tsv(kPkgdb + folder + "/expected-extra.tsv")) {
        BOOST_TEST_REQUIRE(row.size() == 8u);
        const auto state = row[4].substr(row[4].rfind(' ') + 1);
        want.insert({name_of(row[0]), row[1], row[2], state, row[5]});
        // binary:Package is "name:arch" for Multi-Arch: same packages.
        if (row[0].find(':') != std::string::npos) BOOST_TEST(row[0].substr(row[0].find(':') + 1) != "");
    }
    for (const auto& p : inv.packages) {
        const std::string size = p.installed_size ? std::to_string(*p.installed_size / 1024) : "";
        if (p.installed_size) BOOST_TEST(*p.installed_size % 1024 == 0u);
        got.insert({p.name, p.source_name, p.source_version, pkg::state_name(p.state), size});
    }
    BOOST_TEST((got == want), folder << ": packages differ from expected-extra.tsv" << difference(want, got));
}

/// expected-files.tsv rows "package<TAB>/path" (dpkg) or "package<TAB>path" (apk),
/// without dpkg's "/." for the root. apk lists files only (not its directories).
Rows expected_files(const std::string& folder, bool leading_slash) {
    Rows want;
    for (auto& row : read_tsv(kPkgdb + folder + "/expected-files.tsv")) {
        if (row[1] == "/.") continue;
        want.insert({name_of(row[0]), leading_slash ? row[1].substr(1) : row[1]});
    }
    return want;
}

Rows owned_files(const pkg::Inventory& inv) {
    Rows got;
    for (const auto& p : inv.packages) {
        for (const auto& f : p.files) {
            if (!f.directory) got.insert({p.name, std::string(f.path)});
        }
    }
    return got;
}

/// Every "<md5>  <path>" line of the given md5sums files, read here by the test itself,
/// against the digests the packages carry.
void check_md5sums(const std::string& dir, const pkg::Inventory& inv) {
    std::set<std::pair<std::string, std::string>> want, got;
    FILE* ls = ::popen(("ls " + dir + "/*.md5sums").c_str(), "r");
    BOOST_TEST_REQUIRE(ls != nullptr);
    char buf[4096];
    while (std::fgets(buf, sizeof buf, ls)) {
        std::string path = buf;
        if (!path.empty() && path.back() == '\n') path.pop_back();
        std::istringstream in(slurp(path));
        std::string md5, file;
        while (in >> md5 >> file) want.insert({file, "md5:" + md5});
    }
    ::pclose(ls);
    for (const auto& p : inv.packages) {
        for (const auto& f : p.files) {
            if (!f.digest.empty()) got.insert({std::string(f.path), std::string(f.digest)});
        }
    }
    BOOST_TEST(!want.empty());
    BOOST_TEST((got == want), dir << ": digests differ from the md5sums files");
}

/// What a shell sees when it sources the os-release file.
std::vector<std::string> shell_reads(const std::string& file) {
    const std::string cmd = "sh -c '. \"$1\"; printf \"%s\\n\" \"$ID\" \"$VERSION_ID\" \"$VERSION_CODENAME\" "
                            "\"$PRETTY_NAME\" \"$ID_LIKE\"' sh '" + file + "'";
    FILE* sh = ::popen(cmd.c_str(), "r");
    BOOST_TEST_REQUIRE(sh != nullptr);
    std::vector<std::string> out;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, sh)) {
        std::string line = buf;
        if (!line.empty() && line.back() == '\n') line.pop_back();
        out.push_back(line);
    }
    ::pclose(sh);
    return out;
}

void check_os(const std::string& folder, const pkg::Inventory& inv, const std::string& file) {
    BOOST_TEST(inv.os.file == file);
    const auto want = shell_reads(kPkgdb + folder + "/root/" + file);
    BOOST_TEST_REQUIRE(want.size() == 5u);
    BOOST_TEST(!want[0].empty());
    BOOST_TEST(inv.os.id == want[0]);
    BOOST_TEST(inv.os.version_id == want[1]);
    BOOST_TEST(inv.os.version_codename == want[2]);
    BOOST_TEST(inv.os.pretty_name == want[3]);
    BOOST_TEST(inv.os.id_like == want[4]);
}

/// expected.tsv of an apk folder: name, version, arch, origin, license.
void check_apk(const std::string& folder, const pkg::Inventory& inv) {
    Rows want, got;
    for (auto& row : read_tsv(kPkgdb + folder + "/expected.tsv")) want.insert(row);
    for (const auto& p : inv.packages) {
        BOOST_TEST(p.ecosystem == pkg::Ecosystem::apk);
        got.insert({p.name, p.version, p.arch, p.source_name, p.license});
    }
    BOOST_TEST((got == want), folder << ": packages differ from expected.tsv" << difference(want, got));
    const Rows want_files = expected_files(folder, false), got_files = owned_files(inv);
    BOOST_TEST((got_files == want_files), folder << ": files differ from expected-files.tsv" << difference(want_files, got_files));
    BOOST_TEST((inv.databases == std::vector<std::string>{"lib/apk/db/installed"}));
    for (const auto& p : inv.packages) {
        for (const auto& f : p.files) {
            // Every file of these real databases has a Z: SHA-1.
            if (!f.directory) BOOST_TEST(f.digest.substr(0, 5) == "sha1:", p.name << " " << f.path);
            if (!f.directory) BOOST_TEST(f.digest.size() == 45u);
        }
    }
}

/// Runs `cmd` and returns its standard output.
std::string output_of(const std::string& cmd) {
    FILE* f = ::popen(cmd.c_str(), "r");
    BOOST_TEST_REQUIRE(f != nullptr);
    std::string out;
    char buf[4096];
    while (const auto n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
    ::pclose(f);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pkg_corpus)

// apk-tools 2.10.4 itself (Alpine's binary in the alpine:3.11 image of the real corpus,
// started through that image's musl loader, as the corpus's listings were made) orders
// every pair of the version table as compare_versions does.
BOOST_AUTO_TEST_CASE(apk_versions_order_as_apk_tools_does) {
    const std::string archive = TARSIER_SOURCE_ROOT "/../shared/corpus/real/trivy/pkg/fanal/test/testdata/alpine-311.tar.gz";
    struct utsname u{};
    if (::uname(&u) != 0 || std::string(u.machine) != "x86_64" || !std::ifstream(archive).good()) {
        BOOST_TEST_MESSAGE("no x86_64 host or no alpine-311.tar.gz: apk-tools not asked");
        return;
    }
    char dir[] = "/tmp/tarsier-apk-XXXXXX";
    BOOST_TEST_REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string d = dir;
    const int rc = std::system(("cd " + d + " && tar -xzf '" + archive + "' && mkdir root && "
                                "tar -xf */layer.tar -C root lib usr/lib sbin/apk").c_str());
    BOOST_TEST_REQUIRE(rc == 0);
    const std::string apk = d + "/root/lib/ld-musl-x86_64.so.1 --library-path " + d + "/root/lib:" + d +
                            "/root/usr/lib " + d + "/root/sbin/apk version -t ";
    // apk 2.10 adds digits up in an int, so numbers past 9 digits overflow there (newer
    // apk-tools, whose version.data has such a pair, fixed it); those pairs are not asked.
    auto overflows = [](std::string_view v) {
        std::size_t run = 0;
        for (char c : v) {
            run = (c >= '0' && c <= '9') ? run + 1 : 0;
            if (run > 9) return true;
        }
        return false;
    };
    std::size_t asked = 0;
    for (const auto& p : testing::kApkPairs) {
        if (overflows(p.a) || overflows(p.b)) continue;
        ++asked;
        const std::string says = output_of(apk + "'" + p.a + "' '" + p.b + "'");
        BOOST_TEST_REQUIRE(!says.empty());
        const int want = says[0] == '<' ? -1 : says[0] == '>' ? 1 : 0;
        const int got = pkg::compare_versions(pkg::Ecosystem::apk, p.a, p.b);
        BOOST_TEST((got < 0 ? -1 : got > 0 ? 1 : 0) == want, p.a << " " << says[0] << " " << p.b);
        BOOST_TEST(says[0] == p.op, "the table says " << p.a << " " << p.op << " " << p.b);
    }
    BOOST_TEST(asked + 1 == std::size(testing::kApkPairs));
    (void)std::system(("rm -rf '" + d + "'").c_str());
}

BOOST_AUTO_TEST_CASE(dpkg_status_ubuntu_18_04) {
    const std::string folder = "dpkg-status-ubuntu-18.04";
    const auto inv = read(folder);
    BOOST_TEST(inv.problems.empty());
    BOOST_TEST(inv.packages.size() == 91u);
    check_dpkg_packages(folder, inv);
    check_dpkg_extra(folder, inv);
    check_os(folder, inv, "etc/os-release");
    BOOST_TEST((inv.databases == std::vector<std::string>{"var/lib/dpkg/status"}));
}

BOOST_AUTO_TEST_CASE(dpkg_debian12_written_by_dpkg) {
    const std::string folder = "dpkg-debian12-written-by-dpkg";
    const auto inv = read(folder, kDebianOsReleaseLink);
    BOOST_TEST(inv.problems.empty());
    check_dpkg_packages(folder, inv);
    check_dpkg_extra(folder, inv);
    const Rows want = expected_files(folder, true), got = owned_files(inv);
    BOOST_TEST((got == want), "files differ from dpkg-query -L" << difference(want, got));
    check_md5sums(kPkgdb + folder + "/root/var/lib/dpkg/info", inv);
    check_os(folder, inv, "usr/lib/os-release");
}

BOOST_AUTO_TEST_CASE(dpkg_statusd_distroless_debian12) {
    const std::string folder = "dpkg-statusd-distroless-debian12";
    const auto inv = read(folder, kDebianOsReleaseLink);
    BOOST_TEST(inv.problems.empty());
    check_dpkg_packages(folder, inv);
    // expected-files.tsv lists each .deb's whole contents (dpkg-deb); status.d records
    // only what the .md5sums files name (no directories, symlinks or conffiles): those
    // must all be there, and be exactly the md5sums' paths with their digests.
    const Rows want = expected_files(folder, true);
    for (const auto& row : owned_files(inv)) BOOST_TEST(want.count(row) == 1u, row[0] << " " << row[1]);
    check_md5sums(kPkgdb + folder + "/root/var/lib/dpkg/status.d", inv);
    check_os(folder, inv, "usr/lib/os-release");
    BOOST_TEST(inv.databases.size() == 6u);
}

BOOST_AUTO_TEST_CASE(dpkg_statusd_syft_distroless_arm64) {
    const std::string folder = "dpkg-statusd-syft-distroless-arm64";
    const auto inv = read(folder);
    BOOST_TEST(inv.problems.empty());
    check_dpkg_packages(folder, inv);
    check_dpkg_extra(folder, inv);
    const Rows want = expected_files(folder, true), got = owned_files(inv);
    BOOST_TEST((got == want), difference(want, got));
    check_md5sums(kPkgdb + folder + "/root/var/lib/dpkg/status.d", inv);
    check_os(folder, inv, "etc/os-release");
    // The .preinst beside the status file is not a status file.
    BOOST_TEST((inv.databases == std::vector<std::string>{"var/lib/dpkg/status.d/libsqlite3-0"}));
}

BOOST_AUTO_TEST_CASE(apk_alpine_3_10) {
    const auto inv = read("apk-alpine-3.10");
    BOOST_TEST(inv.problems.empty());
    check_apk("apk-alpine-3.10", inv);
    check_os("apk-alpine-3.10", inv, "etc/os-release");
}

BOOST_AUTO_TEST_CASE(apk_alpine_3_11) {
    const auto inv = read("apk-alpine-3.11");
    BOOST_TEST(inv.problems.empty());
    check_apk("apk-alpine-3.11", inv);
    check_os("apk-alpine-3.11", inv, "etc/os-release");
}

BOOST_AUTO_TEST_CASE(apk_trivy_analyzer_testdata_has_one_bad_record) {
    const std::string folder = "apk-trivy-analyzer-testdata";
    const auto inv = read(folder);
    check_apk(folder, inv);
    BOOST_TEST(inv.os.empty());
    // The one problem: the stanza with no version, named by its line.
    const std::string db = slurp(kPkgdb + folder + "/root/lib/apk/db/installed");
    const auto at = db.find("P:invalidPackageWithoutAVersion\n");
    BOOST_TEST_REQUIRE(at != std::string::npos);
    const auto line = 1 + std::count(db.begin(), db.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    BOOST_TEST_REQUIRE(inv.problems.size() == 1u);
    BOOST_TEST(inv.problems[0].file == "lib/apk/db/installed");
    BOOST_TEST(inv.problems[0].where == "line " + std::to_string(line));
    BOOST_TEST(inv.problems[0].what.find("invalidPackageWithoutAVersion") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
