// Expected values come from upstream test tables, cited per test case:
//   github.com/distribution/reference@0965666: normalize_test.go, reference_test.go
//   github.com/golang/go src/path/match_test.go (path.Match)
//   github.com/moby/moby@b985e23: integration/image/list_test.go TestAPIImagesFilters
#include <boost/test/unit_test.hpp>

#include <array>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "oci/reference.hpp"

using tarsier::oci::path_match;
using tarsier::oci::Reference;
using tarsier::oci::reference_filter_match;
using tarsier::util::ErrorKind;

namespace {

const std::string kHex64 = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

Reference must_parse(const std::string& s) {
    auto r = Reference::parse(s);
    BOOST_TEST_REQUIRE(r.ok(), "parse(\"" << s << "\") failed: " << (r.ok() ? "" : r.error().to_string()));
    return *r;
}

std::string parse_error(const std::string& s) {
    auto r = Reference::parse(s);
    if (r.ok()) return "(parsed as " + r->to_string() + ")";
    BOOST_TEST(static_cast<int>(r.error().kind) == static_cast<int>(ErrorKind::usage));
    return r.error().what;
}

bool filter(const std::string& pattern, const std::string& ref) {
    auto r = reference_filter_match(pattern, must_parse(ref));
    BOOST_TEST_REQUIRE(r.ok(), "pattern " << pattern << ": " << (r.ok() ? "" : r.error().to_string()));
    return *r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_reference)

// normalize_test.go TestValidateReferenceName and TestValidateRemoteName.
BOOST_AUTO_TEST_CASE(valid_and_invalid_names) {
    const std::vector<std::string> valid = {
        "docker/docker", "library/debian", "debian", "localhost/library/debian", "localhost/debian",
        "LOCALDOMAIN/library/debian", "LOCALDOMAIN/debian", "docker.io/docker/docker", "docker.io/library/debian",
        "docker.io/debian", "index.docker.io/docker/docker", "index.docker.io/library/debian",
        "index.docker.io/debian", "127.0.0.1:5000/docker/docker", "127.0.0.1:5000/library/debian",
        "127.0.0.1:5000/debian", "192.168.0.1", "192.168.0.1:80", "192.168.0.1:8/debian",
        "192.168.0.2:25000/debian", "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
        "[fc00::1]:5000/docker", "[fc00::1]:5000/docker/docker", "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
        "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "Docker/docker",
        "DOCKER/docker",
        // TestValidateRemoteName
        "docker-rules/docker", "docker---rules/docker", "doc/docker", "d/docker", "jess/t", "dock__er/docker"};
    for (const auto& name : valid) {
        BOOST_TEST_CONTEXT(name) { BOOST_TEST(Reference::parse(name).ok()); }
    }
    const std::vector<std::string> invalid = {
        "https://github.com/docker/docker", "docker/Docker", "-docker", "-docker/docker", "-docker.io/docker/docker",
        "docker///docker", "docker.io/docker/Docker", "docker.io/docker///docker", "[fc00::1]", "[fc00::1]:5000",
        "fc00::1:5000/debian", "[fe80::1%eth0]:5000/debian", "[2001:db8:3:4::192.0.2.33]:5000/debian",
        "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
        // TestValidateRemoteName
        "docker-/docker", "-docker-/docker", "____/____", "_docker/_docker", "dock..er/docker", "dock_.er/docker",
        "dock-.er/docker", "docker/",
        "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_"
        "its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_"
        "not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker"};
    for (const auto& name : invalid) {
        BOOST_TEST_CONTEXT(name) {
            auto r = Reference::parse(name);
            BOOST_TEST(!r.ok());
            if (!r.ok()) BOOST_TEST(static_cast<int>(r.error().kind) == static_cast<int>(ErrorKind::usage));
        }
    }
}

// normalize_test.go TestParseRepositoryInfo: every spelling gives the same familiar name,
// full name, domain and path.
BOOST_AUTO_TEST_CASE(repository_info) {
    struct Case {
        std::string remote, familiar, full, ambiguous, domain;
    };
    const std::vector<Case> cases = {
        {"fooo", "localhost/fooo", "localhost/fooo", "localhost/fooo", "localhost"},
        {"fooo/bar", "localhost/fooo/bar", "localhost/fooo/bar", "localhost/fooo/bar", "localhost"},
        {"fooo", "LOCALDOMAIN/fooo", "LOCALDOMAIN/fooo", "LOCALDOMAIN/fooo", "LOCALDOMAIN"},
        {"fooo/bar", "LOCALDOMAIN/fooo/bar", "LOCALDOMAIN/fooo/bar", "LOCALDOMAIN/fooo/bar", "LOCALDOMAIN"},
        {"fooo/bar", "fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar", "docker.io"},
        {"library/ubuntu", "ubuntu", "docker.io/library/ubuntu", "library/ubuntu", "docker.io"},
        {"nonlibrary/ubuntu", "nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", "", "docker.io"},
        {"other/library", "other/library", "docker.io/other/library", "", "docker.io"},
        {"private/moonbase", "127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase", "",
         "127.0.0.1:8000"},
        {"privatebase", "127.0.0.1:8000/privatebase", "127.0.0.1:8000/privatebase", "", "127.0.0.1:8000"},
        {"private/moonbase", "example.com/private/moonbase", "example.com/private/moonbase", "", "example.com"},
        {"privatebase", "example.com/privatebase", "example.com/privatebase", "", "example.com"},
        {"private/moonbase", "example.com:8000/private/moonbase", "example.com:8000/private/moonbase", "",
         "example.com:8000"},
        {"privatebasee", "example.com:8000/privatebasee", "example.com:8000/privatebasee", "", "example.com:8000"},
        {"library/ubuntu-12.04-base", "ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base",
         "index.docker.io/library/ubuntu-12.04-base", "docker.io"},
        {"library/foo", "foo", "docker.io/library/foo", "docker.io/foo", "docker.io"},
        {"library/foo/bar", "library/foo/bar", "docker.io/library/foo/bar", "", "docker.io"},
        {"store/foo/bar", "store/foo/bar", "docker.io/store/foo/bar", "", "docker.io"},
        {"bar", "Foo/bar", "Foo/bar", "", "Foo"},
        {"bar", "FOO/bar", "FOO/bar", "", "FOO"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> spellings = {c.familiar, c.full};
        if (!c.ambiguous.empty()) spellings.push_back(c.ambiguous);
        for (const auto& s : spellings) {
            BOOST_TEST_CONTEXT(s) {
                const Reference ref = must_parse(s);
                BOOST_TEST(ref.familiar_name() == c.familiar);
                BOOST_TEST(ref.repository() == c.full);
                BOOST_TEST(ref.domain() == c.domain);
                BOOST_TEST(ref.path() == c.remote);
                // No tag and no digest given: the default tag is added (normalize.go TagNameOnly).
                BOOST_TEST(ref.tag() == "latest");
                BOOST_TEST(ref.to_string() == c.full + ":latest");
                BOOST_TEST(ref.familiar_string() == c.familiar + ":latest");
            }
        }
    }
}

// normalize_test.go TestNormalizedSplitHostname.
BOOST_AUTO_TEST_CASE(split_hostname) {
    const std::vector<std::array<std::string, 3>> cases = {
        {"test.com/foo", "test.com", "foo"},
        {"test_com/foo", "docker.io", "test_com/foo"},
        {"docker/migrator", "docker.io", "docker/migrator"},
        {"test.com:8080/foo", "test.com:8080", "foo"},
        {"test-com:8080/foo", "test-com:8080", "foo"},
        {"foo", "docker.io", "library/foo"},
        {"xn--n3h.com/foo", "xn--n3h.com", "foo"},
        {"xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"},
        {"docker.io/foo", "docker.io", "library/foo"},
        {"docker.io/library/foo", "docker.io", "library/foo"},
        {"docker.io/library/foo/bar", "docker.io", "library/foo/bar"},
    };
    for (const auto& [input, domain, path] : cases) {
        BOOST_TEST_CONTEXT(input) {
            const Reference ref = must_parse(input);
            BOOST_TEST(ref.domain() == domain);
            BOOST_TEST(ref.path() == path);
        }
    }
}

// normalize_test.go TestParseReferenceWithTagAndDigest.
BOOST_AUTO_TEST_CASE(tag_and_digest_are_both_kept) {
    const std::string short_ref =
        "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
    const Reference ref = must_parse(short_ref);
    BOOST_TEST(ref.to_string() == "docker.io/library/" + short_ref);
    BOOST_TEST(ref.tag() == "latest");
    BOOST_TEST(ref.digest() == "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa");
    BOOST_TEST(ref.familiar_string() == short_ref);
}

// normalize_test.go TestParseDockerRef / TestParseAnyReference: the default tag is added
// only when neither tag nor digest is given. Deliberate difference: for "both tag and
// digest" ParseDockerRef drops the tag; Reference keeps both (as ParseNormalizedNamed does).
BOOST_AUTO_TEST_CASE(default_tag_only_without_tag_or_digest) {
    const std::string d = "sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"busybox", "docker.io/library/busybox:latest"},
        {"busybox:latest", "docker.io/library/busybox:latest"},
        {"busybox@" + d, "docker.io/library/busybox@" + d},
        {"library/busybox", "docker.io/library/busybox:latest"},
        {"docker.io/busybox", "docker.io/library/busybox:latest"},
        {"docker.io/library/busybox", "docker.io/library/busybox:latest"},
        {"docker.io/busybox:latest", "docker.io/library/busybox:latest"},
        {"library/busybox:latest", "docker.io/library/busybox:latest"},
        {"docker.io/library/busybox:latest", "docker.io/library/busybox:latest"},
        {"gcr.io/library/busybox", "gcr.io/library/busybox:latest"},
        {"gcr.io/library/busybox:latest@" + d, "gcr.io/library/busybox:latest@" + d},
        // TestParseAnyReference
        {"dmcgowan/myapp", "docker.io/dmcgowan/myapp:latest"},
        {"docker.io/mcgowan/myapp:latest", "docker.io/mcgowan/myapp:latest"},
        {"dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
         "docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9:latest"},
        {"dbcc1", "docker.io/library/dbcc1:latest"},
    };
    for (const auto& [input, expected] : cases) {
        BOOST_TEST_CONTEXT(input) { BOOST_TEST(must_parse(input).to_string() == expected); }
    }
    const Reference digested = must_parse("busybox@" + d);
    BOOST_TEST(digested.tag().empty());
    BOOST_TEST(digested.familiar_string() == "busybox@" + d);
}

// reference_test.go TestReferenceParse, through the normalising parser. Rows whose name
// has a registry domain keep upstream's values; rows without one gain "docker.io/" and,
// for a single element, "library/" (normalize.go splitDockerDomain).
BOOST_AUTO_TEST_CASE(reference_parse_table) {
    struct Case {
        std::string input, repository, domain, tag, digest;
    };
    const std::string dg = "sha256:" + kHex64;
    const std::string a255(255, 'a');
    std::string many_a;
    for (int i = 0; i < 127; ++i) many_a += "a/";
    const std::vector<Case> cases = {
        {"test_com", "docker.io/library/test_com", "docker.io", "latest", ""},
        {"test.com:tag", "docker.io/library/test.com", "docker.io", "tag", ""},
        {"test.com:5000", "docker.io/library/test.com", "docker.io", "5000", ""},
        {"test.com/repo:tag", "test.com/repo", "test.com", "tag", ""},
        {"test:5000/repo", "test:5000/repo", "test:5000", "latest", ""},
        {"test:5000/repo:tag", "test:5000/repo", "test:5000", "tag", ""},
        {"test:5000/repo@" + dg, "test:5000/repo", "test:5000", "", dg},
        {"test:5000/repo:tag@" + dg, "test:5000/repo", "test:5000", "tag", dg},
        {"lowercase:Uppercase", "docker.io/library/lowercase", "docker.io", "Uppercase", ""},
        {many_a + "a:tag-puts-this-over-max", "docker.io/" + many_a + "a", "docker.io", "tag-puts-this-over-max", ""},
        {"sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "latest", ""},
        {"sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com",
         "some-long-tag", ""},
        {"b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io/test.example.com/my-app", "b.gcr.io",
         "test.example.com", ""},
        {"xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com/myimage", "xn--n3h.com", "xn--n3h.com", ""},
        {"xn--7o8h.com/myimage:xn--7o8h.com@" + dg, "xn--7o8h.com/myimage", "xn--7o8h.com", "xn--7o8h.com", dg},
        {"foo_bar.com:8080", "docker.io/library/foo_bar.com", "docker.io", "8080", ""},
        {"foo/foo_bar.com:8080", "docker.io/foo/foo_bar.com", "docker.io", "8080", ""},
        {"192.168.1.1", "docker.io/library/192.168.1.1", "docker.io", "latest", ""},
        {"192.168.1.1:tag", "docker.io/library/192.168.1.1", "docker.io", "tag", ""},
        {"192.168.1.1:5000", "docker.io/library/192.168.1.1", "docker.io", "5000", ""},
        {"192.168.1.1/repo", "192.168.1.1/repo", "192.168.1.1", "latest", ""},
        {"192.168.1.1:5000/repo", "192.168.1.1:5000/repo", "192.168.1.1:5000", "latest", ""},
        {"192.168.1.1:5000/repo:5050", "192.168.1.1:5000/repo", "192.168.1.1:5000", "5050", ""},
        {"[2001:db8::1]/repo", "[2001:db8::1]/repo", "[2001:db8::1]", "latest", ""},
        {"[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]/repo", "[2001:db8:1:2:3:4:5:6]", "tag", ""},
        {"[2001:db8::1]:5000/repo", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "latest", ""},
        {"[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "tag", ""},
        {"[2001:db8::1]:5000/repo@" + dg, "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "", dg},
        {"[2001:db8::1]:5000/repo:tag@" + dg, "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "tag", dg},
        {"[2001:db8::]:5000/repo", "[2001:db8::]:5000/repo", "[2001:db8::]:5000", "latest", ""},
        {"[::1]:5000/repo", "[::1]:5000/repo", "[::1]:5000", "latest", ""},
        {"example.com/" + a255 + ":tag", "example.com/" + a255, "example.com", "tag", ""},
        // TestSerialization / TestWithTag inputs.
        {"example.com:8000/named:tagged", "example.com:8000/named", "example.com:8000", "tagged", ""},
        {"other.com/named@sha256:1234567890098765432112345667890098765432112345667890098765432112", "other.com/named",
         "other.com", "", "sha256:1234567890098765432112345667890098765432112345667890098765432112"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.input) {
            const Reference ref = must_parse(c.input);
            BOOST_TEST(ref.repository() == c.repository);
            BOOST_TEST(ref.domain() == c.domain);
            BOOST_TEST(ref.tag() == c.tag);
            BOOST_TEST(ref.digest() == c.digest);
        }
    }
}

// reference_test.go TestReferenceParse error rows. Messages follow Docker's wording
// (reference.go errors, go-digest digest.go errors) with the broken part named.
BOOST_AUTO_TEST_CASE(reference_parse_errors) {
    const std::string dg = "sha256:" + kHex64;
    const std::vector<std::string> invalid_format = {
        ":justtag", "@" + dg, "aa/asdf$$^/aa", "[2001:db8::1]", "[2001:db8::1]:5000", "[2001:db8::1]:tag",
        "[fe80::1%eth0]:5000/repo", "[fe80::1%@invalidzone]:5000/repo"};
    for (const auto& s : invalid_format) {
        BOOST_TEST_CONTEXT(s) { BOOST_TEST(parse_error(s).starts_with("invalid reference format")); }
    }
    BOOST_TEST(parse_error("").starts_with("invalid reference format"));
    BOOST_TEST(parse_error("repo@sha256:ffffffffffffffffffffffffffffffffff").starts_with("invalid checksum digest length"));
    BOOST_TEST(parse_error("validname@invaliddigest:" + kHex64) == "unsupported digest algorithm \"invaliddigest\"");
    // Upstream's table expects sha512 to be unsupported only because its test binary does
    // not link crypto/sha512; go-digest registers sha384/sha512 and Docker links them.
    BOOST_TEST(must_parse("validname@sha512:" + kHex64 + kHex64).digest() == "sha512:" + kHex64 + kHex64);
    BOOST_TEST(parse_error("validname@sha256:" + std::string(64, 'F')).starts_with("invalid checksum digest format"));
    BOOST_TEST(parse_error("Uppercase:tag") ==
               "invalid reference format: repository name (library/Uppercase) must be lowercase");
    BOOST_TEST(parse_error("test:5000/Uppercase/lowercase:tag") ==
               "invalid reference format: repository name (Uppercase/lowercase) must be lowercase");
    BOOST_TEST(parse_error("domain/" + std::string(256, 'a') + ":tag") ==
               "repository name must not be more than 255 characters");
    BOOST_TEST(parse_error("1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a") ==
               "invalid repository name: cannot specify 64-byte hexadecimal strings");
    BOOST_TEST(parse_error("busybox:" + std::string(129, 't')).find("tag must be") != std::string::npos);

    // regexp.go separator `(?:[._]|__|[-]+)`: one or two underscores, never three.
    BOOST_TEST(must_parse("a__b").path() == "library/a__b");
    BOOST_TEST(parse_error("a___b").starts_with("invalid reference format"));

    auto r = Reference::parse("docker/Docker");
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().where == "reference \"docker/Docker\"");
}

// Inputs of 100 KB and more finish quickly: every check is one linear pass.
BOOST_AUTO_TEST_CASE(large_inputs_stay_linear) {
    const auto start = std::chrono::steady_clock::now();
    std::string dashes(100001, '-');  // a separator run with no closing alnum
    dashes[0] = 'a';
    std::string slashes;
    for (int i = 0; i < 50000; ++i) slashes += "a/";
    std::string labels;
    for (int i = 0; i < 50000; ++i) labels += "a.";
    const std::vector<std::string> inputs = {
        dashes,
        dashes + "a",
        slashes + "b:tag",
        "x@sha256:" + std::string(100000, 'f'),
        std::string(100000, 'A'),
        std::string(100000, '['),
        std::string(100000, '_').insert(0, 1, 'a'),
    };
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        BOOST_TEST_CONTEXT("input " << i) {
            auto r = Reference::parse(inputs[i]);
            BOOST_TEST(!r.ok());
            if (!r.ok()) BOOST_TEST(r.error().where.size() < 200u);  // the input is cut for the error line
        }
    }
    // A long but valid domain.
    BOOST_TEST(must_parse(labels + "b/x").domain().size() == 100001u);
    BOOST_TEST(path_match(std::string(100000, '*') + "x", std::string(100000, 'a') + "x").value());
    BOOST_TEST(!path_match(std::string(50000, '?'), std::string(100000, 'a')).value());
    const auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() < 2000);
}

// Go src/path/match_test.go matchTests, all rows: {pattern, name, match, bad pattern}.
BOOST_AUTO_TEST_CASE(go_path_match_table) {
    struct Case {
        std::string pattern, name;
        bool match;
        bool bad;
    };
    const std::vector<Case> cases = {
        {"abc", "abc", true, false},
        {"*", "abc", true, false},
        {"*c", "abc", true, false},
        {"a*", "a", true, false},
        {"a*", "abc", true, false},
        {"a*", "ab/c", false, false},
        {"a*/b", "abc/b", true, false},
        {"a*/b", "a/c/b", false, false},
        {"a*b*c*d*e*/f", "axbxcxdxe/f", true, false},
        {"a*b*c*d*e*/f", "axbxcxdxexxx/f", true, false},
        {"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false, false},
        {"a*b*c*d*e*/f", "axbxcxdxexxx/fff", false, false},
        {"a*b?c*x", "abxbbxdbxebxczzx", true, false},
        {"a*b?c*x", "abxbbxdbxebxczzy", false, false},
        {"ab[c]", "abc", true, false},
        {"ab[b-d]", "abc", true, false},
        {"ab[e-g]", "abc", false, false},
        {"ab[^c]", "abc", false, false},
        {"ab[^b-d]", "abc", false, false},
        {"ab[^e-g]", "abc", true, false},
        {"a\\*b", "a*b", true, false},
        {"a\\*b", "ab", false, false},
        {"a?b", "a\u263Ab", true, false},
        {"a[^a]b", "a\u263Ab", true, false},
        {"a???b", "a\u263Ab", false, false},
        {"a[^a][^a][^a]b", "a\u263Ab", false, false},
        {"[a-\u03B6]*", "\u03B1", true, false},
        {"*[a-\u03B6]", "A", false, false},
        {"a?b", "a/b", false, false},
        {"a*b", "a/b", false, false},
        {"[\\]a]", "]", true, false},
        {"[\\-]", "-", true, false},
        {"[x\\-]", "x", true, false},
        {"[x\\-]", "-", true, false},
        {"[x\\-]", "z", false, false},
        {"[\\-x]", "x", true, false},
        {"[\\-x]", "-", true, false},
        {"[\\-x]", "a", false, false},
        {"[]a]", "]", false, true},
        {"[-]", "-", false, true},
        {"[x-]", "x", false, true},
        {"[x-]", "-", false, true},
        {"[x-]", "z", false, true},
        {"[-x]", "x", false, true},
        {"[-x]", "-", false, true},
        {"[-x]", "a", false, true},
        {"\\", "a", false, true},
        {"[a-b-c]", "a", false, true},
        {"[", "a", false, true},
        {"[^", "a", false, true},
        {"[^bc", "a", false, true},
        {"a[", "a", false, true},
        {"a[", "ab", false, true},
        {"a[", "x", false, true},
        {"a/b[", "x", false, true},
        {"*x", "xxx", true, false},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("Match(" << c.pattern << ", " << c.name << ")") {
            auto r = path_match(c.pattern, c.name);
            BOOST_TEST(r.ok() == !c.bad);
            if (r.ok()) BOOST_TEST(*r == c.match);
            else BOOST_TEST(r.error().what == "syntax error in pattern");
        }
    }
}

// Go src/path/match.go: '?' and classes read one UTF-8 sequence, or one byte when it is
// not valid UTF-8 (utf8.DecodeRuneInString gives RuneError, 1); invalid UTF-8 inside a
// class is a syntax error.
BOOST_AUTO_TEST_CASE(path_match_utf8_edges) {
    BOOST_TEST(path_match("a?b", "a\xff" "b").value());
    BOOST_TEST(path_match("a[^x]b", "a\xff" "b").value());
    BOOST_TEST(!path_match("a?b", "a\xe2\x98" "b").value());  // a cut sequence: '?' takes one byte of it
    BOOST_TEST(path_match("a??b", "a\xe2\x98" "b").value());
    BOOST_TEST(!path_match("[\xff]", "a").ok());
    BOOST_TEST(path_match("", "").value());
    BOOST_TEST(!path_match("", "a").value());
}

// helpers.go FamiliarMatch, normalize_test.go TestMatch and TestMatchError.
BOOST_AUTO_TEST_CASE(familiar_match_table) {
    struct Case {
        std::string reference, pattern;
        bool expected;
    };
    const std::vector<Case> cases = {
        {"foo", "foo/**/ba[rz]", false},
        {"foo/any/bat", "foo/**/ba[rz]", false},
        {"foo/a/bar", "foo/**/ba[rz]", true},
        {"foo/b/baz", "foo/**/ba[rz]", true},
        {"foo/c/baz:tag", "foo/**/ba[rz]", true},
        {"foo/c/baz:tag", "foo/*/baz:tag", true},
        {"foo/c/baz:tag", "foo/c/baz:tag", true},
        {"example.com/foo/c/baz:tag", "*/foo/c/baz", true},
        {"example.com/foo/c/baz:tag", "example.com/foo/c/baz", true},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.reference << " ~ " << c.pattern) { BOOST_TEST(filter(c.pattern, c.reference) == c.expected); }
    }
    auto bad = reference_filter_match("[-x]", must_parse("foo"));
    BOOST_REQUIRE(!bad.ok());
    BOOST_TEST(static_cast<int>(bad.error().kind) == static_cast<int>(ErrorKind::usage));
    BOOST_TEST(bad.error().what == "syntax error in pattern");
}

// moby integration/image/list_test.go TestAPIImagesFilters: one image tagged busybox:latest,
// utest:tag1, utest/docker:tag2 and utest:5000/docker:tag3; expectedRepoTags is how many of
// its references the filter keeps. The last three rows need Docker >= 29.5 (moby commit
// daf25751d5ec), which also tries the canonical forms.
BOOST_AUTO_TEST_CASE(docker_image_ls_reference_filter) {
    const std::vector<std::string> tags = {"busybox:latest", "utest:tag1", "utest/docker:tag2",
                                           "utest:5000/docker:tag3"};
    const std::vector<std::pair<std::string, int>> cases = {
        {"utest*/*", 2},
        {"utest*", 1},
        {"utest", 1},
        {"*5000*/*", 1},
        {"docker.io/library/utest", 1},
        {"docker.io/library/utest:*", 1},
        {"docker.io/utest/docker", 1},
    };
    for (const auto& [pattern, expected] : cases) {
        BOOST_TEST_CONTEXT(pattern) {
            int kept = 0;
            for (const auto& t : tags) kept += filter(pattern, t) ? 1 : 0;
            BOOST_TEST(kept == expected);
        }
    }
    // A digest reference (RepoDigests) is matched in its familiar and canonical forms.
    const std::string d = "sha256:" + kHex64;
    BOOST_TEST(filter("busybox@*", "busybox@" + d));
    BOOST_TEST(filter("docker.io/library/busybox@sha256:*", "busybox@" + d));
    BOOST_TEST(!filter("busybox:*", "busybox@" + d));
    // '*' never crosses '/'.
    BOOST_TEST(!filter("*nginx", "myorg/nginx:1"));
    BOOST_TEST(filter("*/nginx", "myorg/nginx:1"));
}

BOOST_AUTO_TEST_SUITE_END()
