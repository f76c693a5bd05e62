// tarsier extract's staging: a compressed layer's files are kept as the layers are indexed
// and moved into place, so that the layer is decoded once. The tree must be the one the
// second read of each layer gives (named paths are still extracted that way), and nothing
// of the staging may be left in the target.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "docker_save.hpp"
#include "merge_fixtures.hpp"
#include "tar_builder.hpp"

#include "query/changes.hpp"
#include "query/extract.hpp"
#include "query/staging.hpp"

using namespace tarsier;
namespace sfs = std::filesystem;

namespace {

std::string lower_layer() {
    return test::TarBuilder()
        .dir("etc")
        .file("etc/keep.conf", "kept from the base")
        .file("etc/replaced.conf", "the base's version")
        .file("etc/deleted.conf", "deleted by the top")
        .file("bin/tool", "#!/bin/sh\necho tool\n", 04755)  // setuid: dropped
        .hardlink("bin/tool-alias", "bin/tool")
        .symlink("bin/sh", "tool")
        .file("var/empty", "")
        .file("var/zeros", std::string(3 * 4096, '\0') + "end")  // holes, then bytes
        .dir("opt/dir")
        .file("opt/dir/inside", "under a directory the top replaces")
        .finish();
}

/// Everything there is to compare of a tree: each path's type, mode, size, content or
/// link target, and which paths share an inode (by the first path of the group).
std::map<std::string, std::string> snapshot(const std::string& dir) {
    std::map<std::string, std::string> out;
    std::map<std::pair<dev_t, ino_t>, std::string> inodes;
    std::vector<std::string> paths;
    for (const auto& e : sfs::recursive_directory_iterator(dir)) paths.push_back(sfs::relative(e.path(), dir).string());
    std::sort(paths.begin(), paths.end());
    for (const auto& rel : paths) {
        const std::string path = dir + "/" + rel;
        struct stat st {};
        BOOST_REQUIRE(::lstat(path.c_str(), &st) == 0);
        std::string d = std::to_string(st.st_mode) + " " + std::to_string(st.st_mtime);
        if (S_ISREG(st.st_mode)) {
            std::ifstream in(path, std::ios::binary);
            d += " " + std::string(std::istreambuf_iterator<char>(in), {});
            auto [it, fresh] = inodes.emplace(std::pair{st.st_dev, st.st_ino}, rel);
            d += " inode of " + it->second;
        } else if (S_ISLNK(st.st_mode)) {
            d += " -> " + sfs::read_symlink(path).string();
        }
        out[rel] = d;
    }
    return out;
}

/// The snapshot as lines, for a comparison that names what differs.
std::vector<std::string> lines(const std::map<std::string, std::string>& tree) {
    std::vector<std::string> out;
    for (const auto& [path, d] : tree) out.push_back(path + ": " + d);
    return out;
}

struct Extracted {
    query::ExtractReport report;
    std::map<std::string, std::string> tree;
};

/// Extracts `archive` into a fresh directory (all of it, or only `patterns`).
Extracted extract(const std::string& archive, const std::vector<std::string>& patterns = {}) {
    const std::string path = test::temp_file(archive);
    char dir[] = "/tmp/tarsier-extract-XXXXXX";
    BOOST_REQUIRE(::mkdtemp(dir));
    const std::string to = std::string(dir) + "/root";
    auto sel = query::open_image(path, "", query::ReadOptions{}, query::kFilesNeeds);
    BOOST_REQUIRE_MESSAGE(bool(sel), (sel ? std::string() : sel.error().to_string()));
    query::ExtractOptions o;
    o.to = to;
    o.patterns = patterns;
    auto rep = query::extract(sel->archive, *sel->image, o);
    std::remove(path.c_str());
    BOOST_REQUIRE_MESSAGE(bool(rep), (rep ? std::string() : rep.error().to_string()));
    Extracted out{*rep, snapshot(to)};
    sfs::remove_all(dir);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(extract_staging)

BOOST_AUTO_TEST_CASE(gzip_layers_are_moved_into_place_and_equal_a_second_read) {
    const std::string archive = test::docker_save({lower_layer(), test::replacing_layer()}, "test/staging:1", true);
    auto staged = extract(archive);
    // Named paths are read from the layers a second time: the same tree, nothing staged.
    auto read_twice = extract(archive, {"bin", "etc", "new", "opt", "var"});
    BOOST_TEST(read_twice.report.staged == 0u);
    BOOST_TEST(lines(staged.tree) == lines(read_twice.tree), boost::test_tools::per_element());
    // Every regular file of the tree came from staging: etc/keep.conf, bin/tool (its alias
    // is a hardlink to it), var/empty and var/zeros of the base, and the top's three.
    BOOST_TEST(staged.report.staged == 7u);
    BOOST_TEST(staged.report.refused == 0u);
    BOOST_TEST(staged.tree.count("etc/deleted.conf") == 0u);
    BOOST_TEST(staged.tree.count("opt/dir/inside") == 0u);
    BOOST_TEST(staged.tree.at("etc/replaced.conf").find("the top's version") != std::string::npos);
    BOOST_TEST(staged.tree.at("bin/tool-alias").find("inode of bin/tool") != std::string::npos);
    BOOST_TEST((std::stoul(staged.tree.at("bin/tool")) & 07777) == 0755u);  // setuid dropped
    BOOST_TEST((std::stoul(staged.tree.at("new/file.txt")) & 07777) == 0600u);
    for (const auto& [path, _] : staged.tree) BOOST_TEST(!path.starts_with(query::Staging::kPrefix));
}

BOOST_AUTO_TEST_CASE(uncompressed_layers_are_read_where_they_lie_not_staged) {
    auto got = extract(test::docker_save({lower_layer(), test::replacing_layer()}));
    BOOST_TEST(got.report.staged == 0u);
    BOOST_TEST(got.tree.count("etc/keep.conf") == 1u);
}

BOOST_AUTO_TEST_CASE(an_image_with_a_root_name_like_the_staging_directory_is_read_twice) {
    const std::string name = std::string(query::Staging::kPrefix) + "-1";
    const std::string layer = test::TarBuilder().file(name + "/file", "the image's own").file("a", "b").finish();
    auto got = extract(test::docker_save({layer}, "test/staging:1", true));
    BOOST_TEST(got.report.staged == 0u);
    BOOST_TEST(got.tree.at(name + "/file").find("the image's own") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failed_extraction_leaves_no_staging_and_no_target_it_made) {
    // The second half of the top layer's gzip stream is garbage: the plan fails after the
    // base layer was staged.
    std::string cut = test::docker_save({lower_layer(), test::replacing_layer()}, "test/staging:1", true);
    const std::string top = test::gzip(test::replacing_layer());
    const auto at = cut.find(top);
    BOOST_REQUIRE(at != std::string::npos);
    std::fill_n(cut.begin() + static_cast<std::ptrdiff_t>(at + top.size() / 2), top.size() / 2, 'x');
    const std::string cut_path = test::temp_file(cut);
    char dir[] = "/tmp/tarsier-extract-XXXXXX";
    BOOST_REQUIRE(::mkdtemp(dir));
    const std::string to = std::string(dir) + "/root";
    auto sel = query::open_image(cut_path, "", query::ReadOptions{}, query::kFilesNeeds);
    BOOST_REQUIRE(bool(sel));
    query::ExtractOptions o;
    o.to = to;
    auto rep = query::extract(sel->archive, *sel->image, o);
    std::remove(cut_path.c_str());
    BOOST_TEST(!rep);
    BOOST_TEST(!sfs::exists(to));  // it made the target for its staging, and removed both
    sfs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
