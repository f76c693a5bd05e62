#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "digest/digest.hpp"

using namespace tarsier::digest;
using tarsier::util::ErrorKind;

namespace {

const std::string kSha256Empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kSha256Abc = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string kSha512Empty =
    "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
const std::string kSha512Abc =
    "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

}  // namespace

BOOST_AUTO_TEST_SUITE(digest)

// FIPS 180-2 / NIST example vectors.
BOOST_AUTO_TEST_CASE(sha256_matches_known_vectors) {
    BOOST_TEST(sha256("") == kSha256Empty);
    BOOST_TEST(sha256("abc") == kSha256Abc);
    BOOST_TEST(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
               "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

BOOST_AUTO_TEST_CASE(sha512_matches_known_vectors) {
    BOOST_TEST(compute(Algorithm::sha512, "") == kSha512Empty);
    BOOST_TEST(compute(Algorithm::sha512, "abc") == kSha512Abc);
    BOOST_TEST(compute(Algorithm::sha256, "abc") == kSha256Abc);
}

// An empty tar as Go writes it (FORMATS.md): 1024 zero bytes.
BOOST_AUTO_TEST_CASE(empty_tar_digest) {
    BOOST_TEST(sha256(std::string(1024, '\0')) ==
               "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
}

// One million 'a' fed in uneven pieces must equal the NIST long-message vector.
BOOST_AUTO_TEST_CASE(incremental_updates_equal_one_shot) {
    const std::string million(1'000'000, 'a');
    Hasher h;
    // Sizes around the 64-byte block and well past it.
    const std::size_t sizes[] = {1, 63, 64, 65, 4096, 100'000, 7};
    std::size_t pos = 0;
    for (std::size_t i = 0; pos < million.size(); ++i) {
        std::size_t n = std::min(sizes[i % std::size(sizes)], million.size() - pos);
        h.update(std::string_view(million).substr(pos, n));
        pos += n;
    }
    h.update(std::span<const std::uint8_t>());  // an empty update changes nothing
    BOOST_TEST(h.finish() == "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(hasher_moves_with_its_state) {
    Hasher a(Algorithm::sha512);
    a.update("a");
    Hasher b(std::move(a));
    b.update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("bc"), 2));
    BOOST_TEST((b.algorithm() == Algorithm::sha512));
    Hasher c;
    c = std::move(b);
    BOOST_TEST(c.finish() == kSha512Abc);
}

BOOST_AUTO_TEST_CASE(parse_registered_algorithms) {
    auto d = Digest::parse(kSha256Abc);
    BOOST_REQUIRE(d.ok());
    BOOST_TEST(d->algorithm == "sha256");
    BOOST_TEST(d->encoded == kSha256Abc.substr(7));
    BOOST_TEST(d->str() == kSha256Abc);
    BOOST_TEST(d->verifiable());
    BOOST_TEST((d->verifiable_algorithm() == Algorithm::sha256));

    auto e = Digest::parse(kSha512Empty);
    BOOST_REQUIRE(e.ok());
    BOOST_TEST(e->verifiable());
    BOOST_TEST((e->verifiable_algorithm() == Algorithm::sha512));
    BOOST_TEST((*d != *e));
    BOOST_TEST((*d < *e));  // ordered by algorithm first: "sha256" < "sha512"
}

// Examples from OCI descriptor.md: they follow the grammar, but tarsier cannot check them.
BOOST_AUTO_TEST_CASE(parse_unregistered_algorithms_that_follow_the_grammar) {
    for (const char* s : {"multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
                          "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", "blake3:abc",
                          "a.b_c-d:Z=", "sha384:ABC"}) {
        BOOST_TEST_CONTEXT(s) {
            auto d = Digest::parse(s);
            BOOST_REQUIRE(d.ok());
            BOOST_TEST(!d->verifiable());
            BOOST_TEST(d->str() == s);
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_rejects_broken_grammar) {
    const std::string hex64(64, 'a');
    const std::vector<std::string> bad = {
        "",
        "sha256",                               // no colon
        ":" + hex64,                            // no algorithm
        "sha256:",                              // no encoded part
        "SHA256:" + hex64,                      // uppercase algorithm
        "sha256-:abc",                          // separator at the end
        "-sha256:abc",                          // separator at the start
        "sha..256:abc",                         // two separators
        "sha 256:abc",                          // space
        "foo:bar/baz",                          // '/' not in the encoded alphabet
        "foo:a:b",                              // second colon
        "foo:ab\ncd",                           // control character
        "sha256:" + hex64 + " ",                // trailing space
    };
    for (const auto& s : bad) {
        BOOST_TEST_CONTEXT("\"" << s << "\"") {
            auto d = Digest::parse(s);
            BOOST_REQUIRE(!d.ok());
            BOOST_TEST((d.error().kind == ErrorKind::malformed));
            BOOST_TEST(d.error().what.find("invalid digest") == 0u);
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_rejects_registered_algorithms_with_wrong_encoding) {
    const std::string hex64 = kSha256Abc.substr(7);
    const std::vector<std::string> bad = {
        "sha256:" + hex64.substr(1),               // 63 digits
        "sha256:" + hex64 + "0",                   // 65 digits
        "sha256:" + std::string(64, 'A'),          // uppercase MUST NOT be used
        "sha256:" + std::string(63, 'a') + "g",    // not hex
        "sha256:" + std::string(63, 'a') + "=",    // encoded alphabet, but not hex
        "sha512:" + hex64,                         // 64 digits for sha512
        "sha512:" + kSha512Abc.substr(7) + "00",   // 130 digits
    };
    for (const auto& s : bad) {
        BOOST_TEST_CONTEXT(s) {
            auto d = Digest::parse(s);
            BOOST_REQUIRE(!d.ok());
            BOOST_TEST((d.error().kind == ErrorKind::malformed));
        }
    }
}

BOOST_AUTO_TEST_CASE(error_message_escapes_control_bytes) {
    auto d = Digest::parse("sha256:\x1b[31m");
    BOOST_REQUIRE(!d.ok());
    BOOST_TEST(d.error().what.find('\x1b') == std::string::npos);
    BOOST_TEST(d.error().what.find("\\x1b") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

// TestTruncateID in docker/cli cli/command/formatter/displayutils_test.go: Docker's short ID.
BOOST_AUTO_TEST_CASE(short_id_matches_docker_truncate_id) {
    const std::string full = "90435eec5c4e124e741ef731e118be2fc799a68aba0466ec17717f24ce2ae6a2";
    BOOST_TEST(short_id("") == "");
    BOOST_TEST(short_id("1234") == "1234");
    BOOST_TEST(short_id(full) == "90435eec5c4e");
    BOOST_TEST(short_id("sha256:" + full) == "90435eec5c4e");
    BOOST_TEST(short_id(full + full) == "90435eec5c4e");
    BOOST_TEST(short_id("<missing>") == "<missing>");
    BOOST_TEST(short_id("sha512:" + full, 19) == "90435eec5c4e124e741");
    BOOST_TEST(short_id("sha256:" + full, 0) == "");
}

BOOST_AUTO_TEST_CASE(short_digest_keeps_the_algorithm) {
    const std::string full = "90435eec5c4e124e741ef731e118be2fc799a68aba0466ec17717f24ce2ae6a2";
    BOOST_TEST(short_digest("sha256:" + full) == "sha256:90435eec5c4e");
    BOOST_TEST(short_digest("sha512:" + full, 4) == "sha512:9043");
    BOOST_TEST(short_digest(full) == "90435eec5c4e");
    BOOST_TEST(short_digest("sha256:abc") == "sha256:abc");
}

BOOST_AUTO_TEST_CASE(blob_path_round_trips) {
    const std::string hex = "90435eec5c4e124e741ef731e118be2fc799a68aba0466ec17717f24ce2ae6a2";
    auto d = Digest::parse("sha256:" + hex);
    BOOST_REQUIRE(d.ok());
    BOOST_TEST(blob_path(*d) == "blobs/sha256/" + hex);
    auto back = parse_blob_path(blob_path(*d));
    BOOST_REQUIRE(back.ok());
    BOOST_TEST(back->str() == "sha256:" + hex);
    auto other = parse_blob_path("blobs/myalg/abc");  // follows the grammar, not registered
    BOOST_REQUIRE(other.ok());
    BOOST_TEST(other->algorithm == "myalg");
    BOOST_TEST(!other->verifiable());
}

BOOST_AUTO_TEST_CASE(parse_blob_path_rejects_other_names) {
    const std::string hex = "90435eec5c4e124e741ef731e118be2fc799a68aba0466ec17717f24ce2ae6a2";
    BOOST_TEST(!parse_blob_path("manifest.json").ok());
    BOOST_TEST(!parse_blob_path("sha256/" + hex).ok());
    BOOST_TEST(!parse_blob_path("blobs/" + hex).ok());                 // no algorithm
    BOOST_TEST(!parse_blob_path("blobs/sha256/" + hex.substr(1)).ok());  // 63 digits
    BOOST_TEST(!parse_blob_path("blobs/sha256/sub/" + hex).ok());      // one level deeper
    BOOST_TEST(!parse_blob_path("blobs/sha256/" + hex + "/").ok());
    BOOST_TEST(!parse_blob_path("blobs/SHA256/" + hex).ok());
    auto e = parse_blob_path("blobs/sha256/zz");
    BOOST_REQUIRE(!e.ok());
    BOOST_TEST((e.error().kind == tarsier::util::ErrorKind::malformed));
}
