// Container::await_stats: one thread waits for a blob scan that another thread does
// (tarsier check builds its audit while verify scans). Each test joins its waiter; one
// that never wakes fails by the suite's timeout.
#include <boost/test/unit_test.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "archive/container.hpp"
#include "archive/layer_index.hpp"
#include "tar_builder.hpp"

using namespace tarsier;
using tarsier::test::TarBuilder;

namespace {

/// "path size" of each entry of an index, in tar order.
std::vector<std::string> listing(const tarsier::archive::LayerIndex& index) {
    std::vector<std::string> out;
    for (const auto& e : index.entries) out.push_back(std::string(e.path()) + " " + std::to_string(e.size));
    return out;
}
/// What layer_tar() holds (index paths are normalised: no trailing slash).
const std::vector<std::string> kListing = {"etc 0", "etc/hostname 4", "usr/big 20000"};

/// A layer tar of a few files, larger than the 4 KiB a stream keeps in memory.
std::string layer_tar() {
    return TarBuilder().dir("etc/").file("etc/hostname", "box\n").file("usr/big", std::string(20000, 'x')).finish();
}

/// An outer archive holding `layer` as "layer.tar".
std::string outer_with(const std::string& layer) { return TarBuilder().file("layer.tar", layer).finish(); }

/// What verify's scan of a layer asks for, and what check's audit awaits (part of it).
tarsier::archive::ScanOptions verify_scan() {
    tarsier::archive::ScanOptions o;
    o.raw_digest = digest::Algorithm::sha256;
    o.diff_id = true;
    o.walk_tar = true;
    o.index = tarsier::archive::ContentDigest::xxh128;
    return o;
}
tarsier::archive::ScanOptions index_wanted() {
    tarsier::archive::ScanOptions o;
    o.walk_tar = true;
    o.index = tarsier::archive::ContentDigest::xxh128;
    return o;
}

/// A thread waiting in await_stats for `entry`'s file index. `got` starts non-empty, so
/// that a nullopt answer shows. The constructor pauses briefly so that the thread is (most
/// likely) waiting before the caller scans; what the tests assert does not depend on it.
struct Waiter {
    const tarsier::archive::Container& container;
    std::optional<tarsier::archive::BlobStats> got = tarsier::archive::BlobStats{};
    std::thread thread;
    Waiter(const tarsier::archive::Container& c, const tarsier::archive::Entry& entry)
        : container(c), thread([this, &entry] { got = container.await_stats(entry, index_wanted()); }) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    /// A test that stops early (a failed BOOST_TEST_REQUIRE) ends the wait first.
    ~Waiter() {
        if (!thread.joinable()) return;
        container.end_scans();
        thread.join();
    }
    /// Waits for the answer.
    const std::optional<tarsier::archive::BlobStats>& answer() {
        thread.join();
        return got;
    }
};

/// An outer tar holding `layer` as "layer.tar", opened as a tar file, and that entry.
struct Opened {
    std::unique_ptr<tarsier::archive::Container> container;
    const tarsier::archive::Entry* entry = nullptr;
};
Opened open_outer(const std::string& layer) {
    auto c = tarsier::archive::open_container_bytes("outer.tar", outer_with(layer), {});
    BOOST_TEST_REQUIRE(c.ok());
    auto e = (*c)->find("layer.tar");
    BOOST_TEST_REQUIRE((e.ok() && *e));
    return {std::move(*c), *e};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(archive_await_stats)

BOOST_AUTO_TEST_CASE(a_waiter_gets_the_stats_another_thread_computes) {
    const std::string layer = layer_tar();
    auto [c, e] = open_outer(layer);
    Waiter waiter(*c, *e);
    auto scanned = c->blob_stats(*e, verify_scan());
    const auto& got = waiter.answer();
    BOOST_TEST_REQUIRE(scanned.ok());
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(got->size == layer.size());
    BOOST_TEST_REQUIRE(got->index != nullptr);
    BOOST_TEST(got->index == scanned->index);  // the very index the scan built, not another
    BOOST_TEST(listing(*got->index) == kListing, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(nullopt_after_end_scans_without_a_scan) {
    auto [c, e] = open_outer(layer_tar());
    Waiter waiter(*c, *e);
    c->end_scans();
    BOOST_TEST(!waiter.answer().has_value());                 // woken by end_scans
    BOOST_TEST(!c->await_stats(*e, index_wanted()).has_value());  // and no longer waiting
    // blob_stats works as before, and what it caches is answered at once.
    BOOST_TEST_REQUIRE(c->blob_stats(*e, verify_scan()).ok());
    BOOST_TEST(c->await_stats(*e, index_wanted()).has_value());
}

BOOST_AUTO_TEST_CASE(a_scan_that_does_not_satisfy_the_request_leaves_the_waiter_waiting) {
    auto [c, e] = open_outer(layer_tar());
    Waiter waiter(*c, *e);
    tarsier::archive::ScanOptions digest_only;
    digest_only.raw_digest = digest::Algorithm::sha256;
    digest_only.walk_tar = false;
    BOOST_TEST_REQUIRE(c->blob_stats(*e, digest_only).ok());  // no index: not what it waits for
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    c->end_scans();
    BOOST_TEST(!waiter.answer().has_value());
}

BOOST_AUTO_TEST_CASE(a_failing_scan_wakes_the_waiter) {
    // A directory whose blob vanishes after it was listed: its scan fails (not found).
    char dir[] = "/tmp/tarsier-await-XXXXXX";
    BOOST_TEST_REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string blob = std::string(dir) + "/layer.tar";
    std::ofstream(blob, std::ios::binary) << layer_tar();
    auto c = tarsier::archive::open_container(dir, {});
    ::unlink(blob.c_str());
    ::rmdir(dir);
    BOOST_TEST_REQUIRE(c.ok());
    const tarsier::archive::Entry* e = *(*c)->find("layer.tar");
    BOOST_TEST_REQUIRE(e != nullptr);
    Waiter waiter(**c, *e);
    BOOST_TEST(!(*c)->blob_stats(*e, verify_scan()).ok());
    BOOST_TEST(!waiter.answer().has_value());  // woken by the failure: end_scans() was not called
}

BOOST_AUTO_TEST_CASE(a_streamed_entry_answers_at_once) {
    // A compressed outer archive is a stream: its blobs were scanned as it passed.
    tarsier::archive::OpenOptions o;
    o.stream_scan = verify_scan();
    const std::string layer = layer_tar();
    auto c = tarsier::archive::open_container_bytes("outer.tar.gz", test::gzip(outer_with(layer)), o);
    BOOST_TEST_REQUIRE(c.ok());
    BOOST_TEST_REQUIRE(((*c)->packaging() == tarsier::archive::Packaging::tar_stream));
    const tarsier::archive::Entry* e = *(*c)->find("layer.tar");
    BOOST_TEST_REQUIRE(e != nullptr);
    auto got = (*c)->await_stats(*e, index_wanted());  // no scan, no end_scans: at once
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(got->size == layer.size());
    BOOST_TEST_REQUIRE(got->index != nullptr);
    BOOST_TEST(listing(*got->index) == kListing, boost::test_tools::per_element());
    // What the stream was not scanned for is never coming.
    tarsier::archive::ScanOptions more = index_wanted();
    more.estimate_gzip = true;
    BOOST_TEST(!(*c)->await_stats(*e, more).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
