// tarsier check's audit on archives built in memory: files that a later layer rewrites
// are compared by their bytes, read again on demand for uncompressed layers
// (ContentOnDemand), with the verdicts content digests give.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "docker_save.hpp"
#include "tar_builder.hpp"

#include "query/audit.hpp"
#include "query/changes.hpp"
#include "query/check.hpp"
#include "query/image_layers.hpp"

using namespace tarsier;

namespace {

/// The paths check reports as rewritten with other content ("still ships the old content").
std::set<std::string> replaced(const std::string& archive) {
    const std::string path = test::temp_file(archive);
    auto rep = query::check(path, "", query::CheckOptions{});
    std::remove(path.c_str());
    BOOST_REQUIRE_MESSAGE(bool(rep), (rep ? std::string() : rep.error().to_string()));
    BOOST_REQUIRE(rep->audit);
    std::set<std::string> out;
    for (const auto& f : rep->audit->findings)
        if (f.detail.find("old content") != std::string::npos) out.insert(f.path);
    return out;
}

std::string lower_layer() {
    return test::TarBuilder()
        .file("a.txt", "hello")
        .file("b.txt", "same!")
        .file("c.txt", "abc")
        .dir("real")
        .symlink("link", "real")
        .file("link/d.txt", "12345")  // lands at real/d.txt: the tree holds a copy of the entry
        .file("link/e.txt", "xxxxx")
        .finish();
}

std::string upper_layer() {
    return test::TarBuilder()
        .file("a.txt", "HELLO")       // one size, other bytes
        .file("b.txt", "same!")       // the same bytes
        .file("c.txt", "abcd")        // another size
        .file("real/d.txt", "54321")  // one size, other bytes, through the link below
        .file("link/e.txt", "xxxxx")  // the same bytes, through the link
        .finish();
}

const std::set<std::string> kReplaced{"/a.txt", "/c.txt", "/real/d.txt"};

}  // namespace

BOOST_AUTO_TEST_SUITE(query_check)

BOOST_AUTO_TEST_CASE(uncompressed_layers_compare_bytes_read_again) {
    BOOST_TEST(replaced(test::docker_save({lower_layer(), upper_layer()})) == kReplaced, boost::test_tools::per_element());
}

// A compressed layer's index holds digests; an uncompressed one above it is read again
// and hashed the same way to compare with them, and the other way round.
BOOST_AUTO_TEST_CASE(digests_and_bytes_read_again_compare) {
    BOOST_TEST(replaced(test::docker_save({test::gzip(lower_layer()), upper_layer()})) == kReplaced,
               boost::test_tools::per_element());
    BOOST_TEST(replaced(test::docker_save({lower_layer(), test::gzip(upper_layer())})) == kReplaced,
               boost::test_tools::per_element());
}

// The audit over indexes that hold every digest finds the same; so does `tarsier audit`.
BOOST_AUTO_TEST_CASE(audit_with_digests_agrees) {
    const std::string path = test::temp_file(test::docker_save({lower_layer(), upper_layer()}));
    auto sel = query::open_image(path, "", {}, query::kFilesNeeds);
    BOOST_REQUIRE(bool(sel));
    auto layers = query::read_layers(sel->archive, *sel->image, {}, query::kFilesNeeds);
    auto indexes = query::layer_indexes(sel->archive, *sel->image, layers);
    BOOST_REQUIRE(bool(indexes));
    for (const auto& index : *indexes) BOOST_TEST(index->data_offsets.empty());  // digests, not places
    auto with_digests = audit::audit(layers.ids, *indexes, nullptr);
    auto command = query::audit_image(sel->archive, *sel->image, {});
    std::remove(path.c_str());
    BOOST_REQUIRE(bool(command));
    for (const auto* rep : {&with_digests, &command->report}) {
        std::set<std::string> got;
        for (const auto& f : rep->findings)
            if (f.detail.find("old content") != std::string::npos) got.insert(f.path);
        BOOST_TEST(got == kReplaced, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_SUITE_END()
