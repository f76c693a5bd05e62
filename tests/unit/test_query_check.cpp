// tarsier check's audit on archives built in memory: files that a later layer rewrites
// are compared by their bytes, read again on demand for uncompressed layers
// (ContentOnDemand), with the verdicts content digests give.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "docker_save.hpp"
#include "tar_builder.hpp"

#include "io/decompress.hpp"
#include "io/reader.hpp"
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

// A sparse file's bytes do not lie in a row in its layer: they are read through a walk of
// the layer, holes as zeros. The layer is the one of testdata/fs/edge-cases that holds
// names/sparse.bin (GNU PAX sparse 0.0 from GNU tar: holes, "data in the middle" at 1 MiB
// and "end" at 3 MiB).
BOOST_AUTO_TEST_CASE(a_sparse_file_is_read_again_through_its_layer) {
    std::ifstream in(std::string(TARSIER_SOURCE_ROOT) +
                         "/testdata/fs/edge-cases/blobs/sha256/5adf0c6f17183c78c73b04ee8fe5e869fdba68cabff7b102199ea5beb9b3129e",
                     std::ios::binary);
    const std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    io::MemoryReader raw(gz);
    auto decoder = io::make_decoder(io::Compression::gzip, raw);
    auto sparse_layer = io::read_all(*decoder, 64 << 20);
    BOOST_REQUIRE(bool(sparse_layer));
    std::string same = std::string(3 << 20, '\0') + "end";
    same.replace(1 << 20, 18, "data in the middle");
    std::string other = same;
    other[(1 << 20) + 5] = 'I';  // one byte in the middle of the file

    auto rewrite = [](const std::string& bytes) { return test::TarBuilder().file("names/sparse.bin", bytes).finish(); };
    BOOST_TEST(replaced(test::docker_save({*sparse_layer, rewrite(same)})).empty());
    BOOST_TEST((replaced(test::docker_save({*sparse_layer, rewrite(other)})) == std::set<std::string>{"/names/sparse.bin"}));
}

BOOST_AUTO_TEST_SUITE_END()
