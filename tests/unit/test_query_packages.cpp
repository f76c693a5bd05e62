// `tarsier packages` on layered images built in memory: per-layer changes and their
// attribution, the findings only a per-layer view gives, --unowned and --verify-files, and
// the same answers from a tar file and from a compressed stream (one pass).
#include <boost/test/unit_test.hpp>

#include <map>
#include <string>
#include <vector>

#include "docker_save.hpp"
#include "tar_builder.hpp"
#include "zlib_gzip.hpp"

#include "archive/blob_scan.hpp"
#include "digest/digest.hpp"
#include "io/reader.hpp"
#include "query/packages.hpp"

using namespace tarsier;

namespace {

using test::docker_save;

std::string stanza(const std::string& name, const std::string& version, const std::string& status = "install ok installed") {
    return "Package: " + name + "\nStatus: " + status + "\nArchitecture: amd64\nVersion: " + version +
           "\nDescription: test\n\n";
}

query::PackagesReport packages_of(const std::string& archive, query::PackagesOptions options = {}) {
    auto needs = options.verify_files ? query::kPackagesVerifyNeeds : query::kPackagesNeeds;
    auto ar = query::open_archive_bytes("pkgs.tar", archive, options.read, needs);
    BOOST_REQUIRE_MESSAGE(bool(ar), (ar ? std::string() : ar.error().to_string()));
    auto sel = query::select(std::move(*ar), "");
    BOOST_REQUIRE_MESSAGE(bool(sel), (sel ? std::string() : sel.error().to_string()));
    auto rep = query::packages(sel->archive, *sel->image, options);
    BOOST_REQUIRE_MESSAGE(bool(rep), (rep ? std::string() : rep.error().to_string()));
    return std::move(*rep);
}

/// "kind name old->new" for each change of a layer.
std::vector<std::string> changes_of(const query::LayerPackages& l) {
    std::vector<std::string> out;
    for (const auto& c : l.changes)
        out.push_back(std::string(query::change_kind_name(c.kind)) + " " + c.name + " " + c.old_version + "->" + c.new_version);
    return out;
}

const query::PackageEntry* find(const query::PackagesReport& rep, const std::string& name) {
    for (const auto& e : rep.packages)
        if (e.package.name == name) return &e;
    return nullptr;
}

/// Three layers: install a, b, c; upgrade a, downgrade b, remove c; an unrelated layer.
std::vector<std::string> three_layers() {
    auto l0 = test::TarBuilder()
                  .file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
                  .file("var/lib/dpkg/status", stanza("a", "1.0-1") + stanza("b", "2:1.0") + stanza("c", "1.0"))
                  .file("var/lib/dpkg/info/a.list", "/.\n/usr\n/usr/bin\n/usr/bin/a\n")
                  .file("var/lib/dpkg/info/b.list", "/usr/bin/b\n")
                  .file("var/lib/dpkg/info/c.list", "/usr/bin/c\n")
                  .file("usr/bin/a", "a1")
                  .file("usr/bin/b", "b1")
                  .file("usr/bin/c", "c1")
                  .finish();
    auto l1 = test::TarBuilder()
                  .file("var/lib/dpkg/status", stanza("a", "1.1-1") + stanza("b", "1:9.9"))
                  .file("var/lib/dpkg/info/a.list", "/usr/bin/a\n")
                  .file("var/lib/dpkg/info/b.list", "/usr/bin/b\n")
                  .file("var/lib/dpkg/info/.wh.c.list", "")
                  .file("usr/bin/.wh.c", "")
                  .file("usr/bin/a", "a2")
                  .finish();
    auto l2 = test::TarBuilder().file("srv/data", "hand-copied").finish();
    return {l0, l1, l2};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(packages_per_layer)

BOOST_AUTO_TEST_CASE(install_upgrade_downgrade_remove_by_layer) {
    auto layers = three_layers();
    auto rep = packages_of(docker_save(layers));
    BOOST_REQUIRE_EQUAL(rep.per_layer.size(), 3u);
    BOOST_TEST(changes_of(rep.per_layer[0]) ==
                   (std::vector<std::string>{"installed a ->1.0-1", "installed b ->2:1.0", "installed c ->1.0"}),
               boost::test_tools::per_element());
    BOOST_TEST(changes_of(rep.per_layer[1]) ==
                   (std::vector<std::string>{"upgraded a 1.0-1->1.1-1", "downgraded b 2:1.0->1:9.9", "removed c 1.0->"}),
               boost::test_tools::per_element());
    BOOST_TEST(rep.per_layer[2].changes.empty());
    BOOST_TEST(!rep.per_layer[2].databases_changed);
    BOOST_TEST(rep.per_layer[2].installed_count == 2u);
    BOOST_TEST(rep.per_layer[2].layer.created_by == "RUN step 2");
    BOOST_REQUIRE_EQUAL(rep.packages.size(), 2u);
    BOOST_TEST(find(rep, "a")->installed_in == 0u);
    BOOST_TEST(find(rep, "a")->last_changed_in == 1u);
    BOOST_TEST(rep.os.id == "debian");
    BOOST_TEST(rep.package_findings.empty());
}

BOOST_AUTO_TEST_CASE(layer_option_shows_the_state_after_it) {
    auto layers = three_layers();
    query::PackagesOptions o;
    o.layer = "0";
    auto rep = packages_of(docker_save(layers), o);
    BOOST_TEST(rep.shown_layer == 0u);
    BOOST_TEST(rep.per_layer.size() == 1u);
    BOOST_TEST(rep.packages.size() == 3u);
    BOOST_TEST(find(rep, "c")->last_changed_in == 0u);
}

BOOST_AUTO_TEST_CASE(files_deleted_or_overwritten_without_the_package_manager) {
    auto l0 = test::TarBuilder()
                  .file("var/lib/dpkg/status", stanza("a", "1.0"))
                  .file("var/lib/dpkg/info/a.list", "/usr\n/usr/bin\n/usr/bin/a\n/usr/bin/a2\n/usr/lib/liba.so\n")
                  .file("usr/bin/a", "a")
                  .file("usr/bin/a2", "a2")
                  .file("usr/lib/liba.so", "lib")
                  .finish();
    auto l1 = test::TarBuilder().file("usr/bin/.wh.a2", "").file("usr/lib/liba.so", "patched").finish();
    auto l2 = test::TarBuilder().file("usr/bin/a", "a").finish();  // same bytes: no finding
    auto rep = packages_of(docker_save({l0, l1, l2}));
    BOOST_REQUIRE_EQUAL(rep.package_findings.size(), 2u);
    const auto& del = rep.package_findings[0];
    BOOST_TEST(query::finding_code(del.kind) == std::string("package-files-deleted"));
    BOOST_TEST(del.layer == 1u);
    BOOST_TEST(del.package == "deb/a:amd64");
    BOOST_TEST(del.paths == std::vector<std::string>{"usr/bin/a2"}, boost::test_tools::per_element());
    const auto& over = rep.package_findings[1];
    BOOST_TEST(query::finding_code(over.kind) == std::string("package-files-overwritten"));
    BOOST_TEST(over.paths == std::vector<std::string>{"usr/lib/liba.so"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_database_deleted_while_its_packages_ship) {
    auto l0 = test::TarBuilder()
                  .file("var/lib/dpkg/status", stanza("a", "1.0"))
                  .file("var/lib/dpkg/info/a.list", "/usr/bin/a\n")
                  .file("usr/bin/a", "a")
                  .finish();
    auto l1 = test::TarBuilder().file("var/lib/.wh.dpkg", "").finish();
    auto rep = packages_of(docker_save({l0, l1}));
    BOOST_TEST(rep.packages.empty());
    BOOST_TEST(changes_of(rep.per_layer[1]) == std::vector<std::string>{"removed a 1.0->"}, boost::test_tools::per_element());
    BOOST_REQUIRE_EQUAL(rep.package_findings.size(), 1u);
    BOOST_TEST(query::finding_code(rep.package_findings[0].kind) == std::string("database-deleted"));
    BOOST_TEST(rep.package_findings[0].layer == 1u);
    BOOST_TEST(rep.package_findings[0].database == "var/lib/dpkg/status");
}

BOOST_AUTO_TEST_CASE(a_database_emptied_while_its_packages_ship) {
    auto l0 = test::TarBuilder()
                  .file("var/lib/dpkg/status", stanza("a", "1.0"))
                  .file("var/lib/dpkg/info/a.list", "/usr/bin/a\n")
                  .file("usr/bin/a", "a")
                  .finish();
    auto l1 = test::TarBuilder().file("var/lib/dpkg/status", "").finish();
    auto rep = packages_of(docker_save({l0, l1}));
    BOOST_REQUIRE_EQUAL(rep.package_findings.size(), 1u);
    BOOST_TEST(query::finding_code(rep.package_findings[0].kind) == std::string("database-emptied"));
}

BOOST_AUTO_TEST_CASE(unowned_files_skip_directories_and_databases) {
    auto l0 = test::TarBuilder()
                  .dir("usr")
                  .file("var/lib/dpkg/status", stanza("a", "1.0"))
                  .file("var/lib/dpkg/info/a.list", "/usr/bin/a\n")
                  .file("var/lib/dpkg/info/a.postinst", "#!/bin/sh\n")
                  .file("usr/bin/a", "a")
                  .symlink("usr/bin/b", "a")
                  .finish();
    auto l1 = test::TarBuilder().file("srv/copied", "by hand").finish();
    query::PackagesOptions o;
    o.unowned = true;
    auto rep = packages_of(docker_save({l0, l1}), o);
    BOOST_REQUIRE(rep.unowned.has_value());
    std::vector<std::string> got;
    for (const auto& u : *rep.unowned) got.push_back(u.path + "@" + std::to_string(u.layer));
    BOOST_TEST(got == (std::vector<std::string>{"srv/copied@1", "usr/bin/b@0"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(verify_files_against_md5sums) {
    auto md5 = [](const std::string& s) { return digest::compute(digest::Algorithm::md5, s).substr(4); };
    auto l0 = test::TarBuilder()
                  .file("var/lib/dpkg/status", stanza("a", "1.0"))
                  .file("var/lib/dpkg/info/a.list", "/usr/bin/a\n/usr/bin/b\n/usr/bin/c\n/usr/bin/d\n")
                  .file("var/lib/dpkg/info/a.md5sums", md5("a") + "  usr/bin/a\n" + md5("b") + "  usr/bin/b\n" + md5("c") +
                                                           "  usr/bin/c\n" + md5("d") + "  usr/bin/d\n")
                  .file("usr/bin/a", "a")
                  .file("usr/bin/b", "b")
                  .file("usr/bin/c", "c")
                  .file("usr/bin/d", "d")
                  .finish();
    auto l1 = test::TarBuilder().file("usr/bin/b", "B").file("usr/bin/.wh.c", "").symlink("usr/bin/d", "a").finish();
    query::PackagesOptions o;
    o.verify_files = true;
    auto rep = packages_of(docker_save({l0, l1}), o);
    BOOST_REQUIRE(rep.file_checks.has_value());
    std::vector<std::string> got;
    for (const auto& c : *rep.file_checks)
        got.push_back(std::string(query::outcome_name(c.outcome)) + " " + c.path + "@" + (c.layer ? std::to_string(*c.layer) : "-"));
    BOOST_TEST(got == (std::vector<std::string>{"modified usr/bin/b@1", "missing usr/bin/c@1", "replaced usr/bin/d@1"}),
               boost::test_tools::per_element());
    BOOST_TEST((*rep.file_checks)[0].actual == "md5:" + md5("B"));
}

BOOST_AUTO_TEST_CASE(a_compressed_stream_gives_the_same_answer_in_one_pass) {
    auto archive = docker_save(three_layers());
    auto from_file = packages_of(archive);
    auto from_stream = packages_of(test::gzip(archive));
    BOOST_REQUIRE_EQUAL(from_stream.per_layer.size(), from_file.per_layer.size());
    for (std::size_t i = 0; i < from_file.per_layer.size(); ++i)
        BOOST_TEST(changes_of(from_stream.per_layer[i]) == changes_of(from_file.per_layer[i]), boost::test_tools::per_element());
    BOOST_TEST(from_stream.packages.size() == from_file.packages.size());
}

BOOST_AUTO_TEST_CASE(only_wanted_files_are_captured_and_within_the_limit) {
    auto layer = test::TarBuilder()
                     .file("var/lib/dpkg/status", stanza("a", "1.0"))
                     .file("var/lib/dpkg/info/a.list", std::string(100, 'x'))
                     .file("usr/bin/a", "not a database")
                     .finish();
    io::MemoryReader r(layer);
    tarsier::archive::ScanOptions o;
    o.index = tarsier::archive::ContentDigest::xxh128;
    o.capture = [](std::string_view p) { return p.starts_with("var/lib/dpkg/"); };
    o.capture_max_bytes = 96;
    auto s = tarsier::archive::scan_blob(r, o);
    BOOST_REQUIRE(s && s->index);
    const auto& got = s->index->captured;
    BOOST_REQUIRE_EQUAL(got.size(), 2u);
    BOOST_TEST(got[0].path == "var/lib/dpkg/status");
    BOOST_TEST(got[0].bytes == stanza("a", "1.0"));
    BOOST_TEST(!got[0].too_large);
    BOOST_TEST(got[1].path == "var/lib/dpkg/info/a.list");
    BOOST_TEST(got[1].too_large);
    BOOST_TEST(got[1].bytes.empty());
    BOOST_TEST(got[1].size == 100u);
    BOOST_TEST(s->index->file_digests.empty());  // only with file_digests
    // A scan without capture does not answer a request with it (the cache must rescan).
    tarsier::archive::ScanOptions plain = o;
    plain.capture = nullptr;
    BOOST_TEST(!o.satisfied_by(plain));
    BOOST_TEST(plain.satisfied_by(o));
}

BOOST_AUTO_TEST_SUITE_END()
