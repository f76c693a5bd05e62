#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "image/facts.hpp"
#include "query/read.hpp"
#include "report/progress_view.hpp"
#include "util/progress.hpp"

using namespace tarsier;

BOOST_AUTO_TEST_SUITE(report_progress)

// The progress line's text: Docker's sizes (1 kB = 1000 B), a mean rate, an ETA of
// (total - done) / rate, and a blob entry named sha256:<12 hex>.
BOOST_AUTO_TEST_CASE(known_total) {
    util::Progress::Snapshot s{250'000'000, 1'000'000'000, "blobs/sha256/0123456789abcdef0123"};
    // 250 MB in 2.5 s: 100 MB/s; 750 MB to go: 7.5 s, shown rounded as 0:08.
    BOOST_TEST(report::render_progress(s, 2.5, 200) == "250MB / 1GB   25%  100MB/s  ETA 0:08  sha256:0123456789ab");
}

BOOST_AUTO_TEST_CASE(unknown_total_is_bytes_and_rate) {
    util::Progress::Snapshot s{3'000'000, 0, "abc/layer.tar"};
    BOOST_TEST(report::render_progress(s, 2.0, 200) == "3MB  1.5MB/s  abc/layer.tar");
}

BOOST_AUTO_TEST_CASE(long_eta_and_width) {
    util::Progress::Snapshot s{1'000'000, 7'201'000'000, ""};
    // 1 MB/s with 7200 MB to go: two hours.
    BOOST_TEST(report::render_progress(s, 1.0, 200) == "1MB / 7.201GB    0%  1MB/s  ETA 2:00:00");
    BOOST_TEST(report::render_progress(s, 1.0, 10).size() == 10u);
}

BOOST_AUTO_TEST_CASE(escapes_in_entry_names_are_not_sent_to_the_terminal) {
    util::Progress::Snapshot s{1000, 0, "evil\x1b[2Jname"};
    BOOST_TEST(report::render_progress(s, 1.0, 200).find('\x1b') == std::string::npos);
}

// The counters a query advances: every layer it reads is expected before it is read, so
// done reaches total, which is the sum of the layer blobs' sizes in the archive.
BOOST_AUTO_TEST_CASE(layer_reads_count_every_byte_once) {
    util::Progress progress;
    query::ReadOptions read;
    read.progress = &progress;
    read.jobs = 2;
    auto sel = query::open_image(std::string(TARSIER_SOURCE_ROOT) + "/testdata/skopeo-oci-gzip.tar", "", read,
                                 query::Needs{.files = true});
    BOOST_REQUIRE(sel);
    std::uint64_t sizes = 0;
    for (std::size_t l : image::layers_of(*sel->image)) {
        auto e = sel->archive.container->find(sel->archive.layers[l].entry);
        BOOST_REQUIRE(e && *e);
        sizes += (*e)->size;
        BOOST_TEST(static_cast<std::int64_t>((*e)->size) == sel->archive.layers[l].declared_size);
    }
    BOOST_REQUIRE(sizes > 0);
    auto layers = image::layers_of(*sel->image);
    auto facts = image::layer_facts(sel->archive, layers, query::layer_scan(read, query::Needs{.files = true}), 2);
    auto s = progress.snapshot();
    BOOST_TEST(s.total == sizes);
    BOOST_TEST(s.done == sizes);
    BOOST_TEST(s.item.starts_with("blobs/sha256/"));
    // Read again: cached, and counted again as expected and done at once.
    image::layer_facts(sel->archive, layers, query::layer_scan(read, query::Needs{.files = true}), 1);
    BOOST_TEST(progress.snapshot().done == 2 * sizes);
    BOOST_TEST(progress.snapshot().total == 2 * sizes);
}

BOOST_AUTO_TEST_SUITE_END()
