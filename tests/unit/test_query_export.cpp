// tarsier export into a regular file writes a compressed layer while it is indexed when the
// layers above it are indexed first, from what those layers hide (fs::UpperCover), and keeps
// that part only when the plan of every layer agrees. The file must hold the bytes the one
// pass writes (export to a file opened for appending, or to a pipe), whatever was kept.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "docker_save.hpp"
#include "merge_fixtures.hpp"
#include "tar_builder.hpp"

#include "query/changes.hpp"
#include "query/export.hpp"

using namespace tarsier;

namespace {

struct Exported {
    query::ExportReport report;
    std::string bytes;
};

/// Exports `archive` (after `layer`) with `jobs` threads into a new file; `append`: the file
/// is opened O_APPEND, which export writes in one pass.
Exported export_file(const std::string& archive, unsigned jobs, bool append, const std::string& layer = "") {
    const std::string in = test::temp_file(archive);
    const std::string out = in + ".export";
    query::ReadOptions read;
    read.jobs = jobs;
    auto sel = query::open_image(in, "", read, query::kFilesNeeds);
    BOOST_REQUIRE_MESSAGE(bool(sel), (sel ? std::string() : sel.error().to_string()));
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | (append ? O_APPEND : 0), 0600);
    BOOST_REQUIRE(fd >= 0);
    query::ExportOptions o;
    o.layer = layer;
    o.read = read;
    auto rep = query::export_tar(sel->archive, *sel->image, o, fd);
    ::close(fd);
    std::ifstream f(out, std::ios::binary);
    Exported got{rep ? *rep : query::ExportReport{}, std::string(std::istreambuf_iterator<char>(f), {})};
    std::remove(in.c_str());
    std::remove(out.c_str());
    BOOST_REQUIRE_MESSAGE(bool(rep), (rep ? std::string() : rep.error().to_string()));
    return got;
}

/// Exports with 1 and 2 threads into a file and checks each against the one pass; returns
/// the layers streamed (the same with 1 and 2 threads: two only decode beside the walk).
std::uint64_t streamed_and_same(const std::string& archive, const std::string& layer = "") {
    const Exported one_pass = export_file(archive, 2, true, layer);
    BOOST_TEST(one_pass.report.streamed_layers == 0U);
    BOOST_TEST(one_pass.bytes.size() % 10240 == 0U);  // whole records: a tar was written
    std::vector<std::uint64_t> streamed;
    for (unsigned jobs : {1U, 2U}) {
        const Exported e = export_file(archive, jobs, false, layer);
        BOOST_TEST(e.bytes == one_pass.bytes, "-j " << jobs << ": other bytes than the one pass");
        BOOST_TEST(e.report.entries == one_pass.report.entries);
        streamed.push_back(e.report.streamed_layers);
    }
    BOOST_TEST(streamed[0] == streamed[1]);
    return streamed[0];
}

std::string base_layer() {
    return test::TarBuilder()
        .dir("etc")
        .file("etc/keep.conf", "kept from the base")
        .file("etc/replaced.conf", "the base's version")
        .file("etc/deleted.conf", "deleted by the top")
        .dir("opt/dir")
        .file("opt/dir/inside", "under a directory the top replaces")
        .dir("var/cache")
        .file("var/cache/a", "hidden by the opaque directory above")
        .symlink("bin", "usr/bin")
        .finish();
}

std::string middle_layer() {
    return test::TarBuilder()
        .dir("var/cache")
        .file("var/cache/.wh..wh..opq", "")
        .file("var/cache/b", "the middle's own")
        .file("etc/replaced.conf", "the middle's version")
        .finish();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(export_stream)

BOOST_AUTO_TEST_CASE(every_gzip_layer_is_written_as_it_is_read_when_one_thread_goes_top_down) {
    const std::string archive = test::docker_save({base_layer(), middle_layer(), test::replacing_layer()}, "test/export:1", true);
    BOOST_TEST(streamed_and_same(archive) == 3U);
    BOOST_TEST(streamed_and_same(archive, "1") == 2U);  // --layer 1: the middle is the top
}

BOOST_AUTO_TEST_CASE(uncompressed_layers_are_never_streamed) {
    const std::string archive = test::docker_save({base_layer(), middle_layer(), test::replacing_layer()}, "test/export:1", false);
    BOOST_TEST(streamed_and_same(archive) == 0U);
}

BOOST_AUTO_TEST_CASE(a_layer_with_a_hardlink_is_read_again_and_the_layers_above_are_kept) {
    const std::string base = test::TarBuilder()
                                 .file("bin/tool", "#!/bin/sh\n")
                                 .hardlink("bin/alias", "bin/tool")  // its group is written at bin/tool
                                 .finish();
    const std::string archive = test::docker_save({base, middle_layer(), test::replacing_layer()}, "test/export:1", true);
    BOOST_TEST(streamed_and_same(archive) == 2U);
}

BOOST_AUTO_TEST_CASE(a_prediction_the_lower_layers_change_is_written_again) {
    // The top's file lands below the base's symlink (usr/bin/added), not where its name
    // says: only the base's part stays as written.
    const std::string base = test::TarBuilder().dir("usr/bin").symlink("bin", "usr/bin").finish();
    const std::string top = test::TarBuilder().file("bin/added", "through the symlink").finish();
    BOOST_TEST(streamed_and_same(test::docker_save({base, top}, "test/export:1", true)) == 1U);
    // Twice the same path in one layer: the last one wins, which a layer written as it is
    // read cannot know at the first. The base's part then begins elsewhere: both are
    // written again.
    const std::string twice = test::TarBuilder().file("etc/twice", "first").file("etc/twice", "second, kept").finish();
    BOOST_TEST(streamed_and_same(test::docker_save({base_layer(), twice}, "test/export:1", true)) == 0U);
}

BOOST_AUTO_TEST_CASE(a_failed_export_leaves_nothing_of_the_layers_written) {
    // The top layer is written as it is read; the base is no tar, so the plan fails.
    const std::string archive = test::docker_save({std::string(4096, 'x'), test::replacing_layer()}, "test/export:1", true);
    const std::string in = test::temp_file(archive);
    const std::string out = in + ".export";
    auto sel = query::open_image(in, "", query::ReadOptions{}, query::kFilesNeeds);
    BOOST_REQUIRE(bool(sel));
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    BOOST_REQUIRE(fd >= 0);
    BOOST_REQUIRE(::write(fd, "kept", 4) == 4);  // what was there before the export
    auto rep = query::export_tar(sel->archive, *sel->image, query::ExportOptions{}, fd);
    ::close(fd);
    BOOST_TEST(!rep);
    std::ifstream f(out, std::ios::binary);
    BOOST_TEST(std::string(std::istreambuf_iterator<char>(f), {}) == "kept");
    std::remove(in.c_str());
    std::remove(out.c_str());
}

BOOST_AUTO_TEST_SUITE_END()
