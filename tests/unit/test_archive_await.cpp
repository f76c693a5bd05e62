// Container::await_stats: one thread waits for a blob scan that another thread does
// (tarsier check builds its audit while verify scans). Each test joins its waiter; a
// waiter that never wakes fails by the suite's timeout.
#include <boost/test/unit_test.hpp>

#include <openssl/sha.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

#include "archive/container.hpp"
#include "tar_builder.hpp"

using namespace tarsier;
using tarsier::test::TarBuilder;

namespace {

/// SHA-256 through OpenSSL's one-shot API, not the scanner's hasher.
std::string sha256_ref(const std::string& data) {
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
    std::string hex = "sha256:";
    char b[3];
    for (unsigned char c : md) {
        std::snprintf(b, sizeof b, "%02x", c);
        hex += b;
    }
    return hex;
}

/// A layer tar of a few files, larger than the 4 KiB a stream keeps in memory.
std::string layer_tar() {
    return TarBuilder().dir("etc/").file("etc/hostname", "box\n").file("usr/big", std::string(20000, 'x')).finish();
}

/// An outer archive holding `layer` as "layer.tar".
std::string outer_with(const std::string& layer) { return TarBuilder().file("layer.tar", layer).finish(); }

/// What verify's scan of a layer asks for, and what check's audit awaits (part of it).
archive::ScanOptions verify_scan() {
    archive::ScanOptions o;
    o.raw_digest = digest::Algorithm::sha256;
    o.diff_id = true;
    o.walk_tar = true;
    o.index = archive::ContentDigest::xxh128;
    return o;
}
archive::ScanOptions index_wanted() {
    archive::ScanOptions o;
    o.walk_tar = true;
    o.index = archive::ContentDigest::xxh128;
    return o;
}

/// A short pause so that the waiter is (most likely) waiting before the scan starts;
/// the results asserted do not depend on it.
void let_the_waiter_wait() { std::this_thread::sleep_for(std::chrono::milliseconds(50)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(archive_await_stats)

BOOST_AUTO_TEST_CASE(a_waiter_gets_the_stats_another_thread_computes) {
    const std::string layer = layer_tar();
    auto c = archive::open_container_bytes("outer.tar", outer_with(layer), {});
    BOOST_TEST_REQUIRE(c.ok());
    auto e = (*c)->find("layer.tar");
    BOOST_TEST_REQUIRE((e.ok() && *e));
    std::optional<archive::BlobStats> got;
    std::thread waiter([&] { got = (*c)->await_stats(**e, index_wanted()); });
    let_the_waiter_wait();
    auto scanned = (*c)->blob_stats(**e, verify_scan());
    waiter.join();
    BOOST_TEST_REQUIRE(scanned.ok());
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(got->digest.value_or("") == sha256_ref(layer));
    BOOST_TEST(got->diff_id.value_or("") == sha256_ref(layer));  // an uncompressed layer
    BOOST_TEST_REQUIRE(got->index != nullptr);
    BOOST_TEST(got->index == scanned->index);  // the very index the scan built, not another
    (*c)->end_scans();
}

BOOST_AUTO_TEST_CASE(nullopt_after_end_scans_without_a_scan) {
    auto c = archive::open_container_bytes("outer.tar", outer_with(layer_tar()), {});
    BOOST_TEST_REQUIRE(c.ok());
    const archive::Entry* e = *(*c)->find("layer.tar");
    BOOST_TEST_REQUIRE(e != nullptr);
    // A waiter woken by end_scans, and a call after it that does not wait.
    std::optional<archive::BlobStats> woken = archive::BlobStats{};
    std::thread waiter([&] { woken = (*c)->await_stats(*e, index_wanted()); });
    let_the_waiter_wait();
    (*c)->end_scans();
    waiter.join();
    BOOST_TEST(!woken.has_value());
    BOOST_TEST(!(*c)->await_stats(*e, index_wanted()).has_value());
    // blob_stats works as before, and what it caches is answered at once.
    BOOST_TEST_REQUIRE((*c)->blob_stats(*e, verify_scan()).ok());
    BOOST_TEST((*c)->await_stats(*e, index_wanted()).has_value());
}

BOOST_AUTO_TEST_CASE(a_scan_that_does_not_satisfy_the_request_leaves_the_waiter_waiting) {
    auto c = archive::open_container_bytes("outer.tar", outer_with(layer_tar()), {});
    BOOST_TEST_REQUIRE(c.ok());
    const archive::Entry* e = *(*c)->find("layer.tar");
    BOOST_TEST_REQUIRE(e != nullptr);
    std::optional<archive::BlobStats> got = archive::BlobStats{};
    std::thread waiter([&] { got = (*c)->await_stats(*e, index_wanted()); });
    let_the_waiter_wait();
    archive::ScanOptions digest_only;
    digest_only.raw_digest = digest::Algorithm::sha256;
    digest_only.walk_tar = false;
    BOOST_TEST_REQUIRE((*c)->blob_stats(*e, digest_only).ok());  // no index: not what it waits for
    let_the_waiter_wait();
    (*c)->end_scans();
    waiter.join();
    BOOST_TEST(!got.has_value());
}

BOOST_AUTO_TEST_CASE(a_failing_scan_wakes_the_waiter) {
    // A directory whose blob vanishes after it was listed: its scan fails (not found).
    char dir[] = "/tmp/tarsier-await-XXXXXX";
    BOOST_TEST_REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string blob = std::string(dir) + "/layer.tar";
    std::ofstream(blob, std::ios::binary) << layer_tar();
    auto c = archive::open_container(dir, {});
    BOOST_TEST_REQUIRE(c.ok());
    const archive::Entry* e = *(*c)->find("layer.tar");
    BOOST_TEST_REQUIRE(e != nullptr);
    ::unlink(blob.c_str());
    std::optional<archive::BlobStats> got = archive::BlobStats{};
    std::thread waiter([&] { got = (*c)->await_stats(*e, index_wanted()); });
    let_the_waiter_wait();
    auto scanned = (*c)->blob_stats(*e, verify_scan());
    waiter.join();  // woken by the failure: end_scans() was not called
    ::rmdir(dir);
    BOOST_TEST(!scanned.ok());
    BOOST_TEST(!got.has_value());
    (*c)->end_scans();
}

BOOST_AUTO_TEST_CASE(a_streamed_entry_answers_at_once) {
    // A compressed outer archive is a stream: its blobs were scanned as it passed.
    archive::OpenOptions o;
    o.stream_scan = verify_scan();
    const std::string layer = layer_tar();
    auto c = archive::open_container_bytes("outer.tar.gz", test::gzip(outer_with(layer)), o);
    BOOST_TEST_REQUIRE(c.ok());
    BOOST_TEST_REQUIRE(((*c)->packaging() == archive::Packaging::tar_stream));
    const archive::Entry* e = *(*c)->find("layer.tar");
    BOOST_TEST_REQUIRE(e != nullptr);
    auto got = (*c)->await_stats(*e, index_wanted());  // no scan, no end_scans: at once
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(got->digest.value_or("") == sha256_ref(layer));
    BOOST_TEST(got->index != nullptr);
    // What the stream was not scanned for is never coming.
    archive::ScanOptions more = index_wanted();
    more.estimate_gzip = true;
    BOOST_TEST(!(*c)->await_stats(*e, more).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
