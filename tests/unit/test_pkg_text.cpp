// The text package databases (dpkg status, apk installed, os-release) read from memory,
// symlink resolution in a RootView, and what hostile input costs. Expected values are
// written from the formats' manuals (deb-status(5), os-release(5), apk-tools' database
// format) and from sha1sum/base64 run on the bytes, not from tarsier's output.
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <cstdio>
#include <string>

#include "pkg/inventory.hpp"
#include "pkg_roots.hpp"

using namespace tarsier;
using testing::MemoryRoot;

namespace {

std::vector<pkg::Package> dpkg(std::string_view text, std::vector<pkg::Problem>& problems) {
    auto r = pkg::parse_dpkg_status(text, "var/lib/dpkg/status", problems);
    BOOST_TEST_REQUIRE(r.ok());
    return std::move(*r);
}

std::vector<pkg::Package> apk(std::string_view text, std::vector<pkg::Problem>& problems) {
    auto r = pkg::parse_apk_installed(text, "lib/apk/db/installed", problems);
    BOOST_TEST_REQUIRE(r.ok());
    return std::move(*r);
}

bool mentions(const std::vector<pkg::Problem>& problems, const std::string& where, const std::string& what) {
    for (const auto& p : problems) {
        if (p.where == where && p.what.find(what) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pkg_text)

BOOST_AUTO_TEST_CASE(dpkg_stanzas_fields_states_and_continuations) {
    const std::string text =
        "Package: libc-bin\n"
        "Status: install ok triggers-pending\n"
        "Installed-Size: 2042\n"
        "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
        "Architecture: amd64\n"
        "Source: glibc\n"
        "Version: 2.36-9+deb12u14\n"
        "Conffiles:\n"
        " /etc/ld.so.conf 4317c6de8564b68d628c21efa96b37e4\n"
        "Description: GNU C Library: Binaries\n"
        " This package contains utility programs related to the GNU C Library.\n"
        "\n"
        "package: liblzma5\n"
        "status: install ok installed\n"
        "architecture: amd64\n"
        "source: xz-utils (5.1.1alpha+20120614-2)\n"
        "version: 5.1.1alpha+20120614-2+b3\n"
        "\n\n"
        "Package: git\n"
        "Status: deinstall ok config-files\n"
        "Version: 1:2.20.1-2+deb10u3\n"
        "Config-Version: 1:2.20.1-2+deb10u3\n"
        "\n"
        "Package: noversion\n"
        "Status: purge ok not-installed";  // no final newline
    std::vector<pkg::Problem> problems;
    const auto ps = dpkg(text, problems);
    BOOST_TEST(problems.empty());
    BOOST_TEST_REQUIRE(ps.size() == 4u);
    BOOST_TEST(ps[0].name == "libc-bin");
    BOOST_TEST(ps[0].state == pkg::State::triggers_pending);
    BOOST_TEST(pkg::counts_as_installed(ps[0].state));
    BOOST_TEST(*ps[0].installed_size == 2042u * 1024u);
    BOOST_TEST(ps[0].source_name == "glibc");
    BOOST_TEST(ps[0].source_version == "2.36-9+deb12u14");  // no version in Source: the package's
    BOOST_TEST(ps[0].description == "GNU C Library: Binaries");
    BOOST_TEST(ps[0].maintainer == "GNU Libc Maintainers <debian-glibc@lists.debian.org>");
    BOOST_TEST(ps[1].name == "liblzma5");  // field names are case-insensitive
    BOOST_TEST(ps[1].source_name == "xz-utils");
    BOOST_TEST(ps[1].source_version == "5.1.1alpha+20120614-2");
    BOOST_TEST(ps[1].version == "5.1.1alpha+20120614-2+b3");
    BOOST_TEST(ps[2].state == pkg::State::config_files);
    BOOST_TEST(!pkg::counts_as_installed(ps[2].state));
    BOOST_TEST(ps[2].version == "1:2.20.1-2+deb10u3");
    BOOST_TEST(ps[2].source_name == "git");
    BOOST_TEST(ps[3].version == "");  // a record with no Version is kept
    BOOST_TEST(ps[3].state == pkg::State::not_installed);
}

BOOST_AUTO_TEST_CASE(dpkg_bad_records_are_problems_and_the_others_come_out) {
    const std::string text =
        "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
        "Status: install ok installed\nVersion: 2\n\n"                 // line 5: no Package
        "Package: c\nStatus: install ok flying\n\n"                    // line 8-9: unknown state
        "Package: d\nthis is not a field\n\n"                          // line 12
        " continuation first\nPackage: e\n\n"                          // line 14
        "Package: f\nStatus: install ok installed\nInstalled-Size: lots\n\n"  // line 19: kept
        "Package: g\nStatus: install ok unpacked\n";
    std::vector<pkg::Problem> problems;
    const auto ps = dpkg(text, problems);
    BOOST_TEST_REQUIRE(ps.size() == 3u);
    BOOST_TEST(ps[0].name == "a");
    BOOST_TEST(ps[1].name == "f");
    BOOST_TEST(!ps[1].installed_size.has_value());
    BOOST_TEST(ps[2].state == pkg::State::unpacked);
    BOOST_TEST(problems.size() == 5u);
    BOOST_TEST(mentions(problems, "line 5", "no Package"));
    BOOST_TEST(mentions(problems, "line 9", "Status"));
    BOOST_TEST(mentions(problems, "line 12", "Field: value"));
    BOOST_TEST(mentions(problems, "line 14", "continuation"));
    BOOST_TEST(mentions(problems, "line 19", "Installed-Size"));
    for (const auto& p : problems) BOOST_TEST(p.file == "var/lib/dpkg/status");
}

BOOST_AUTO_TEST_CASE(dpkg_status_file_needs_status_but_status_d_does_not) {
    MemoryRoot root;
    root.file("var/lib/dpkg/status", "Package: nostatus\nVersion: 1\n\nPackage: ok\nStatus: install ok installed\nVersion: 2\n");
    root.file("var/lib/dpkg/status.d/libsqlite3-0", "Package: libsqlite3-0\nVersion: 3.34.1-3\nArchitecture: arm64\n");
    root.file("var/lib/dpkg/status.d/libsqlite3-0.md5sums",
              "d41d8cd98f00b204e9800998ecf8427e  usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6");
    root.file("var/lib/dpkg/status.d/libsqlite3-0.preinst", "# some shell script...\n");
    const auto inv = pkg::read_inventory(root);
    BOOST_TEST_REQUIRE(inv.packages.size() == 2u);
    BOOST_TEST(inv.packages[0].name == "ok");
    BOOST_TEST(inv.packages[1].name == "libsqlite3-0");
    BOOST_TEST(inv.packages[1].state == pkg::State::installed);
    BOOST_TEST_REQUIRE(inv.packages[1].files.size() == 1u);
    BOOST_TEST(inv.packages[1].files[0].path == "usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6");
    BOOST_TEST(inv.packages[1].files[0].digest == "md5:d41d8cd98f00b204e9800998ecf8427e");
    BOOST_TEST(mentions(inv.problems, "line 1", "nostatus has no Status"));
    BOOST_TEST((inv.databases == std::vector<std::string>{"var/lib/dpkg/status", "var/lib/dpkg/status.d/libsqlite3-0"}));
}

BOOST_AUTO_TEST_CASE(dpkg_lists_give_ownership_and_md5sums_the_digests) {
    MemoryRoot root;
    root.file("var/lib/dpkg/status",
              "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: same\nVersion: 2.36\n\n"
              "Package: mawk\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.3.4\n");
    root.file("var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libc.so.6\n");
    root.file("var/lib/dpkg/info/libc6:amd64.md5sums", "0123456789ABCDEF0123456789abcdef  lib/x86_64-linux-gnu/libc.so.6\n");
    root.file("var/lib/dpkg/info/mawk.list", "/usr/bin/mawk\n");
    const auto inv = pkg::read_inventory(root);
    BOOST_TEST_REQUIRE(inv.packages.size() == 2u);
    const auto& libc = inv.packages[0].files;
    BOOST_TEST_REQUIRE(libc.size() == 3u);  // "/." is the root, not a path
    BOOST_TEST(libc[0].path == "lib");
    BOOST_TEST(libc[0].digest == "");
    BOOST_TEST(libc[2].path == "lib/x86_64-linux-gnu/libc.so.6");
    BOOST_TEST(libc[2].digest == "md5:0123456789abcdef0123456789abcdef");
    BOOST_TEST_REQUIRE(inv.packages[1].files.size() == 1u);
    BOOST_TEST(inv.packages[1].files[0].path == "usr/bin/mawk");
    BOOST_TEST(inv.problems.empty());
}

BOOST_AUTO_TEST_CASE(apk_fields_files_and_checksums) {
    // Z: is "Q1" + base64 of the SHA-1: sha1sum of "hello\n" is f572d396...258f, and
    // `xxd -r -p | base64` of it is 9XLTlvrpIGYocU+yzgD3LpTyJY8=.
    const std::string text =
        "C:Q1abc=\nP:musl\nV:1.1.24-r2\nA:x86_64\nS:377000\nI:614400\nT:the musl c library\n"
        "U:https://musl.libc.org/\nL:MIT\no:musl\nm:Timo <timo@alpinelinux.org>\nt:1584390000\nc:abc\n"
        "F:lib\nR:libc.musl-x86_64.so.1\na:0:0:777\nZ:Q19XLTlvrpIGYocU+yzgD3LpTyJY8=\nR:ld-musl-x86_64.so.1\n"
        "Z:Q1AAAA\nF:usr/share\nM:0:0:755\n\n"
        "P:test\nV:2.9.11_pre20061021-r2\no:test-parent\nL:( Apache-2.0 OR MIT ) AND MPL-2.0\n\n"
        "P:invalidPackageWithoutAVersion\n\n"
        "V:1.0\nA:x86_64\n\n"
        "P:ada-libs\nV:2.7.4-r0\nR:rootfile";  // no final newline
    std::vector<pkg::Problem> problems;
    const auto ps = apk(text, problems);
    BOOST_TEST_REQUIRE(ps.size() == 3u);
    const auto& musl = ps[0];
    BOOST_TEST(musl.ecosystem == pkg::Ecosystem::apk);
    BOOST_TEST(musl.name == "musl");
    BOOST_TEST(musl.version == "1.1.24-r2");
    BOOST_TEST(musl.arch == "x86_64");
    BOOST_TEST(musl.source_name == "musl");
    BOOST_TEST(musl.license == "MIT");
    BOOST_TEST(*musl.installed_size == 614400u);
    BOOST_TEST(musl.description == "the musl c library");
    BOOST_TEST(musl.maintainer == "Timo <timo@alpinelinux.org>");
    BOOST_TEST_REQUIRE(musl.files.size() == 4u);
    BOOST_TEST(musl.files[0].path == "lib");
    BOOST_TEST(musl.files[0].directory);
    BOOST_TEST(musl.files[1].path == "lib/libc.musl-x86_64.so.1");
    BOOST_TEST(!musl.files[1].directory);
    BOOST_TEST(musl.files[1].digest == "sha1:f572d396fae9206628714fb2ce00f72e94f2258f");
    BOOST_TEST(musl.files[2].digest == "");  // "Q1AAAA" is 3 bytes, not a SHA-1
    BOOST_TEST(musl.files[3].path == "usr/share");
    BOOST_TEST(ps[1].source_name == "test-parent");
    BOOST_TEST(ps[1].license == "( Apache-2.0 OR MIT ) AND MPL-2.0");
    BOOST_TEST(ps[2].name == "ada-libs");
    BOOST_TEST(ps[2].version == "2.7.4-r0");
    BOOST_TEST_REQUIRE(ps[2].files.size() == 1u);
    BOOST_TEST(ps[2].files[0].path == "rootfile");
    BOOST_TEST(problems.size() == 3u);
    BOOST_TEST(mentions(problems, "line 19", "checksum"));
    BOOST_TEST(mentions(problems, "line 28", "invalidPackageWithoutAVersion has no V:"));
    BOOST_TEST(mentions(problems, "line 30", "no P:"));
}

BOOST_AUTO_TEST_CASE(os_release_quoting_comments_and_no_final_newline) {
    const std::string text =
        "# a comment\n"
        "NAME=\"SLES\"\n"
        "  ID='sles'\n"
        "ID_LIKE=\"suse opensuse\"\n"
        "PRETTY_NAME=\"A \\\"quoted\\\" \\$name\\\\\"\n"
        "VERSION_CODENAME=bare\\ word # trailing comment\n"
        "not a line\n"
        "VERSION_ID=\"15.3\"";
    const auto os = pkg::parse_os_release(text, "etc/os-release");
    BOOST_TEST(os.id == "sles");
    BOOST_TEST(os.id_like == "suse opensuse");
    BOOST_TEST(os.pretty_name == "A \"quoted\" $name\\");
    BOOST_TEST(os.version_codename == "bare word");
    BOOST_TEST(os.version_id == "15.3");
    BOOST_TEST(os.file == "etc/os-release");
}

BOOST_AUTO_TEST_CASE(os_release_follows_a_symlink_only_inside_the_root) {
    MemoryRoot root;
    root.symlink("etc/os-release", "../usr/lib/os-release");
    root.file("usr/lib/os-release", "ID=debian\n");
    auto inv = pkg::read_inventory(root);
    BOOST_TEST(inv.os.id == "debian");
    BOOST_TEST(inv.os.file == "usr/lib/os-release");

    // An absolute target that climbs resolves against the root, never the host's /etc.
    MemoryRoot climbing;
    climbing.symlink("etc/os-release", "/../../../../etc/hostname");
    climbing.file("usr/lib/os-release", "ID=fallback\n");
    inv = pkg::read_inventory(climbing);
    BOOST_TEST(inv.os.id == "fallback");

    MemoryRoot none;
    BOOST_TEST(pkg::read_inventory(none).os.empty());
}

BOOST_AUTO_TEST_CASE(resolve_directory_links_loops_and_limits) {
    MemoryRoot root;
    root.symlink("lib", "usr/lib");
    root.file("usr/lib/apk/db/installed", "P:a\nV:1\n");
    root.symlink("loop1", "loop2");
    root.symlink("loop2", "/loop1");
    root.symlink("abs", "/usr/./lib/../lib/apk");
    root.file("f", "x");
    BOOST_TEST(*pkg::resolve(root, "lib/apk/db/installed") == "usr/lib/apk/db/installed");
    BOOST_TEST(*pkg::resolve(root, "/lib/apk/db/installed") == "usr/lib/apk/db/installed");
    BOOST_TEST(*pkg::resolve(root, "abs/db") == "usr/lib/apk/db");
    BOOST_TEST(*pkg::resolve(root, "../../usr/lib") == "usr/lib");
    BOOST_TEST(!pkg::resolve(root, "loop1/x").has_value());
    BOOST_TEST(!pkg::resolve(root, "missing").has_value());
    BOOST_TEST(!pkg::resolve(root, "f/below").has_value());
    // 40 links are followed, the 41st is not.
    MemoryRoot chain;
    auto link_name = [](int i) {
        std::string name(1, 'l');
        name += std::to_string(i);  // (not "l" + ...: GCC 12 warns wrongly about that)
        return name;
    };
    for (int i = 0; i < 41; ++i) chain.symlink(link_name(i), link_name(i + 1));
    chain.file("l41", "end");
    BOOST_TEST(!pkg::resolve(chain, "l0").has_value());
    BOOST_TEST(*pkg::resolve(chain, "l1") == "l41");
    // The apk database is read once through the lib -> usr/lib link.
    const auto inv = pkg::read_inventory(root);
    BOOST_TEST(inv.packages.size() == 1u);
    BOOST_TEST((inv.databases == std::vector<std::string>{"usr/lib/apk/db/installed"}));
}

BOOST_AUTO_TEST_CASE(wanted_selects_the_database_files) {
    for (const char* p : {"etc/os-release", "usr/lib/os-release", "var/lib/dpkg/status", "var/lib/dpkg/status.d/libc6",
                          "var/lib/dpkg/status.d/libc6.md5sums", "var/lib/dpkg/info/libc6:amd64.list",
                          "var/lib/dpkg/info/mawk.md5sums", "lib/apk/db/installed", "usr/lib/apk/db/installed",
                          "var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/Packages.db", "var/lib/rpm/Packages"}) {
        BOOST_TEST(pkg::wanted(p), p);
    }
    for (const char* p : {"var/lib/dpkg/status-old", "var/lib/dpkg/info/mawk.postinst", "var/lib/dpkg/info/x/y.list",
                          "var/lib/dpkg/status.d/a/b", "etc/os-release.bak", "lib/apk/db/scripts.tar",
                          "var/lib/rpm/Index.db", "usr/bin/dpkg"}) {
        BOOST_TEST(!pkg::wanted(p), p);
    }
}

BOOST_AUTO_TEST_CASE(a_file_whose_bytes_were_not_kept_is_a_problem) {
    MemoryRoot root;
    root.unread_file("var/lib/dpkg/status");
    const auto inv = pkg::read_inventory(root);
    BOOST_TEST(inv.packages.empty());
    BOOST_TEST_REQUIRE(inv.problems.size() == 1u);
    BOOST_TEST(inv.problems[0].file == "var/lib/dpkg/status");
    BOOST_TEST(inv.problems[0].kind == util::ErrorKind::unreadable);
}

BOOST_AUTO_TEST_CASE(hostile_input_stays_bounded) {
    // A 2 MiB line: a problem naming it, the records around it still read.
    std::string text = "Package: a\nStatus: install ok installed\n\nPackage: b\nDescription: ";
    text.append(std::size_t{2} << 20, 'x');
    text += "\n\nPackage: c\nStatus: install ok installed\n";
    std::vector<pkg::Problem> problems;
    auto ps = dpkg(text, problems);
    BOOST_TEST_REQUIRE(ps.size() == 2u);
    BOOST_TEST(ps[1].name == "c");
    BOOST_TEST(mentions(problems, "line 5", "1 MiB"));

    // Binary junk: every bad record is a problem, but only 20 are kept, then a count.
    std::string junk;
    for (int i = 0; i < 1000; ++i) junk += std::string("\x01\x02\xff junk\n\n", 10);
    problems.clear();
    ps = apk(junk, problems);
    BOOST_TEST(ps.empty());
    BOOST_TEST(problems.size() == 21u);
    BOOST_TEST(problems.back().what == "980 more problems not shown");

    // More records than the limit: the first 200000 are read, then one limit problem.
    std::string many;
    many.reserve(220'000 * 9);
    for (int i = 0; i < 200'001; ++i) many += "P:a\nV:1\n\n";
    problems.clear();
    ps = apk(many, problems);
    BOOST_TEST(ps.size() == 200'000u);
    BOOST_TEST_REQUIRE(problems.size() == 1u);
    BOOST_TEST(problems[0].kind == util::ErrorKind::limit);
    BOOST_TEST(problems[0].where == "line 600001");
}

BOOST_AUTO_TEST_CASE(dpkg_many_packages_each_keep_their_files_digests_and_problems) {
    // Enough packages for the lists to be parsed on two threads: every package must still
    // get exactly its own paths (in list order) and digests, and the problems come out in
    // package order. The expectations are built here from what the test writes.
    MemoryRoot root;
    std::string status;
    constexpr int kPackages = 300;
    std::vector<std::vector<std::pair<std::string, std::string>>> want(kPackages);
    for (int i = 0; i < kPackages; ++i) {
        const std::string name = "p" + std::to_string(i);
        status += "Package: " + name + "\nStatus: install ok installed\nVersion: 1\n\n";
        std::string list = "/.\n/usr\n", md5sums;
        want[i].push_back({"usr", ""});
        for (int f = 0; f < 40; ++f) {
            const std::string path = "usr/share/" + name + "/file-" + std::to_string(f);
            char hex[33];
            std::snprintf(hex, sizeof hex, "%08x%08x%08x%08X", i, f, i * f, 0xabcdefu);
            std::string lower(hex);
            for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            // Every third path is written unclean in the list; md5sums lists them backwards.
            list += f % 3 == 0 ? "/usr/./share//" + name + "/file-" + std::to_string(f) + "\n" : "/" + path + "\n";
            md5sums = std::string(hex) + "  " + path + "\n" + md5sums;
            want[i].push_back({path, "md5:" + lower});
        }
        if (i % 50 == 7) md5sums += "not a digest line\n";
        root.file("var/lib/dpkg/info/" + name + ".list", list);
        root.file("var/lib/dpkg/info/" + name + ".md5sums", md5sums);
    }
    root.file("var/lib/dpkg/status", status);
    const auto inv = pkg::read_inventory(root);
    BOOST_TEST_REQUIRE(inv.packages.size() == std::size_t{kPackages});
    for (int i = 0; i < kPackages; ++i) {
        const auto& files = inv.packages[i].files;
        BOOST_TEST_REQUIRE(files.size() == want[i].size());
        for (std::size_t f = 0; f < files.size(); ++f) {
            BOOST_TEST(files[f].path == want[i][f].first);
            BOOST_TEST(files[f].digest == want[i][f].second);
        }
    }
    BOOST_TEST_REQUIRE(inv.problems.size() == 6u);
    for (std::size_t k = 0; k < inv.problems.size(); ++k) {
        BOOST_TEST(inv.problems[k].file == "var/lib/dpkg/info/p" + std::to_string(k * 50 + 7) + ".md5sums");
        BOOST_TEST(inv.problems[k].where == "line 41");
    }
}

BOOST_AUTO_TEST_CASE(dpkg_owned_paths_past_the_budget_are_left_out_once) {
    // 2,000,000 owned paths a database: the lists of 81 packages of 25,000 paths each
    // give 2,025,000; the last 25,000 are left out with one problem at the first of them.
    MemoryRoot root;
    std::string status, list;
    for (int f = 0; f < 25'000; ++f) list += "/f" + std::to_string(f) + "\n";
    for (int i = 0; i < 81; ++i) {
        const std::string name = "p" + std::to_string(i);
        status += "Package: " + name + "\nStatus: install ok installed\nVersion: 1\n\n";
        root.file("var/lib/dpkg/info/" + name + ".list", list);
    }
    root.file("var/lib/dpkg/status", status);
    const auto inv = pkg::read_inventory(root);
    BOOST_TEST_REQUIRE(inv.packages.size() == 81u);
    BOOST_TEST(inv.packages[79].files.size() == 25'000u);
    BOOST_TEST(inv.packages[80].files.size() == 0u);
    BOOST_TEST_REQUIRE(inv.problems.size() == 1u);
    BOOST_TEST(inv.problems[0].kind == util::ErrorKind::limit);
    BOOST_TEST(inv.problems[0].file == "var/lib/dpkg/info/p80.list");
    BOOST_TEST(inv.problems[0].where == "line 1");
}

BOOST_AUTO_TEST_SUITE_END()
