// Expected values come from github.com/containerd/platforms@09756f5 test tables, cited per
// test case: platforms_test.go, compare_test.go, platform_windows_compat_test.go,
// platforms_windows_test.go, defaults_windows_test.go.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "oci/platform.hpp"

using tarsier::oci::matches;
using tarsier::oci::normalize;
using tarsier::oci::Platform;
using tarsier::util::ErrorKind;

namespace {

Platform must_parse(const std::string& s) {
    auto r = Platform::parse(s);
    BOOST_TEST_REQUIRE(r.ok(), "parse(\"" << s << "\") failed: " << (r.ok() ? "" : r.error().to_string()));
    return *r;
}

Platform make(std::string os, std::string arch, std::string variant = {}, std::string os_version = {},
              std::vector<std::string> features = {}) {
    return Platform{std::move(os), std::move(arch), std::move(variant), std::move(os_version), std::move(features)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_platform)

// platforms_test.go TestParseSelector, the rows with an explicit os/arch: parsed value,
// platforms the parsed matcher accepts, the formatted form, and that it re-parses stably.
// Rows that give only an OS or only an architecture take the other half from the host in
// containerd; they are kept here with "linux/" in front (same normalisation path).
BOOST_AUTO_TEST_CASE(parse_selector_table) {
    struct Case {
        std::string input;
        Platform expected;
        std::vector<Platform> also_matches;
        std::string formatted;
    };
    const std::vector<Case> cases = {
        {"linux/arm64",
         make("linux", "arm64"),
         {make("linux", "aarch64"), make("linux", "aarch64", "v8"), make("linux", "arm64", "v8")},
         "linux/arm64"},
        {"linux/arm64/v8",
         make("linux", "arm64", "v8"),
         {make("linux", "aarch64"), make("linux", "aarch64", "v8"), make("linux", "arm64")},
         "linux/arm64/v8"},
        {"linux/arm",
         make("linux", "arm"),
         {make("linux", "arm", "v7"), make("linux", "armhf"), make("linux", "arm", "7")},
         "linux/arm"},
        {"linux/arm/v6", make("linux", "arm", "v6"), {make("linux", "armel")}, "linux/arm/v6"},
        {"linux/arm/v7", make("linux", "arm", "v7"), {make("linux", "arm"), make("linux", "armhf")}, "linux/arm/v7"},
        {"Linux/x86_64", make("linux", "amd64"), {}, "linux/amd64"},
        {"linux/s390x", make("linux", "s390x"), {}, "linux/s390x"},
        // Single-element rows "arm", "armel", "armhf", "Aarch64", "x86_64", "i386", "macOS".
        {"linux/arm", make("linux", "arm"), {}, "linux/arm"},
        {"linux/armel", make("linux", "arm", "v6"), {}, "linux/arm/v6"},
        {"linux/armhf", make("linux", "arm"), {}, "linux/arm"},
        {"linux/Aarch64", make("linux", "arm64"), {}, "linux/arm64"},
        {"linux/x86_64", make("linux", "amd64"), {}, "linux/amd64"},
        {"linux/i386", make("linux", "386"), {}, "linux/386"},
        {"macOS/arm64", make("darwin", "arm64"), {}, "darwin/arm64"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.input) {
            const Platform p = must_parse(c.input);
            BOOST_TEST(p.os == c.expected.os);
            BOOST_TEST(p.architecture == c.expected.architecture);
            BOOST_TEST(p.variant == c.expected.variant);
            BOOST_TEST(matches(p, c.expected));
            for (const auto& other : c.also_matches) {
                BOOST_TEST_CONTEXT("matches " << other.to_string()) { BOOST_TEST(matches(p, other)); }
            }
            BOOST_TEST(p.to_string() == c.formatted);
            BOOST_TEST(must_parse(p.to_string()).to_string() == c.formatted);
        }
    }
}

// platforms_test.go TestParseSelector, the rows with OS options (given here with "/amd64",
// see above): OSVersion and OSFeatures, and FormatAll.
BOOST_AUTO_TEST_CASE(parse_os_options) {
    struct Case {
        std::string input, os, version;
        std::vector<std::string> features;
        std::string formatted_all;
    };
    const std::vector<Case> cases = {
        {"windows/amd64", "windows", "", {}, "windows/amd64"},
        {"windows()/amd64", "windows", "", {}, "windows/amd64"},
        {"windows(10.0.17763)/amd64", "windows", "10.0.17763", {}, "windows(10.0.17763)/amd64"},
        {"windows(10.0.17763+win32k)/amd64", "windows", "10.0.17763", {"win32k"}, "windows(10.0.17763+win32k)/amd64"},
        {"linux(+gpu)/amd64", "linux", "", {"gpu"}, "linux(+gpu)/amd64"},
        {"linux(+gpu+simd)/amd64", "linux", "", {"gpu", "simd"}, "linux(+gpu+simd)/amd64"},
        {"linux(+unsorted+erofs)/amd64", "linux", "", {"unsorted", "erofs"}, "linux(+erofs+unsorted)/amd64"},
        {"windows(10.0.17763%2Bbuild.42)/amd64", "windows", "10.0.17763+build.42", {},
         "windows(10.0.17763%2Bbuild.42)/amd64"},
        {"windows(10.0.17763%2Bbuild.42+win32k)/amd64", "windows", "10.0.17763+build.42", {"win32k"},
         "windows(10.0.17763%2Bbuild.42+win32k)/amd64"},
        {"windows(50%25done)/amd64", "windows", "50%done", {}, "windows(50%25done)/amd64"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.input) {
            const Platform p = must_parse(c.input);
            BOOST_TEST(p.os == c.os);
            BOOST_TEST(p.architecture == "amd64");
            BOOST_TEST(p.os_version == c.version);
            BOOST_TEST(p.os_features == c.features);
            BOOST_TEST(p.to_string_all() == c.formatted_all);
            BOOST_TEST(must_parse(p.to_string_all()).to_string_all() == c.formatted_all);
        }
    }
}

// platforms_test.go TestFormatAllEncoding and TestFormatAllSkipsEmptyOSFeatures.
BOOST_AUTO_TEST_CASE(format_all_encoding) {
    const std::vector<std::pair<Platform, std::string>> cases = {
        {make("windows", "amd64", "", "10.0.17763+build.42"), "windows(10.0.17763%2Bbuild.42)/amd64"},
        {make("windows", "amd64", "", "10.0.17763+build.42", {"win32k"}), "windows(10.0.17763%2Bbuild.42+win32k)/amd64"},
        {make("windows", "amd64", "", "50%done"), "windows(50%25done)/amd64"},
        {make("windows", "amd64", "", "1.0(beta)"), "windows(1.0%28beta%29)/amd64"},
        {make("windows", "amd64", "", "a/b"), "windows(a%2Fb)/amd64"},
        {make("windows", "amd64", "", "10.0.17763"), "windows(10.0.17763)/amd64"},
        {make("linux", "amd64", "", "", {"feat+v2"}), "linux(+feat%2Bv2)/amd64"},
        {make("linux", "amd64", "", "", {"100%gpu"}), "linux(+100%25gpu)/amd64"},
        {make("windows", "amd64", "", "10.0+build", {"feat+1"}), "windows(10.0%2Bbuild+feat%2B1)/amd64"},
    };
    for (const auto& [platform, expected] : cases) {
        BOOST_TEST_CONTEXT(expected) {
            BOOST_TEST(platform.to_string_all() == expected);
            const Platform back = must_parse(expected);
            BOOST_TEST(back.os_version == platform.os_version);
            BOOST_TEST(back.os_features == platform.os_features);
        }
    }
    BOOST_TEST(make("linux", "amd64", "", "", {"", "gpu", "", "simd"}).to_string_all() == "linux(+gpu+simd)/amd64");
    // platforms.go Format: "unknown" without an OS; path.Join drops empty parts.
    BOOST_TEST(Platform{}.to_string() == "unknown");
    BOOST_TEST(make("linux", "").to_string() == "linux");
}

// platforms_test.go TestParseSelectorInvalid, plus the cases where tarsier is stricter
// than containerd (a lone OS or architecture) and containerd's wildcard refusal.
BOOST_AUTO_TEST_CASE(parse_invalid) {
    const std::vector<std::string> invalid = {"",           "/linux/arm", "linux/arm/", "linux /arm",
                                              "linux/&arm", "linux/arm/foo/bar", "penguin", "x86", "arm64(1)",
                                              "*",          "linux/*",    "linux(+)/amd64", "windows(50%zz)/amd64",
                                              "linux(/amd64"};
    for (const auto& s : invalid) {
        BOOST_TEST_CONTEXT(s) {
            auto r = Platform::parse(s);
            BOOST_TEST(!r.ok());
            if (!r.ok()) BOOST_TEST(static_cast<int>(r.error().kind) == static_cast<int>(ErrorKind::usage));
        }
    }
    auto r = Platform::parse("penguin");
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().where == "platform \"penguin\"");
    BOOST_TEST(r.error().what.find("neither a known OS nor a known architecture") != std::string::npos);
}

// platforms.go Parse, one element: containerd completes it from the host (runtime.GOOS,
// runtime.GOARCH); tarsier completes it from its default platform linux/amd64, so
// `--platform arm64` means linux/arm64 as `docker --platform arm64` does on a Linux host.
BOOST_AUTO_TEST_CASE(parse_single_element) {
    BOOST_TEST((must_parse("arm64") == make("linux", "arm64")));
    BOOST_TEST((must_parse("aarch64") == make("linux", "arm64")));
    BOOST_TEST((must_parse("x86_64") == make("linux", "amd64")));
    BOOST_TEST((must_parse("AMD64") == make("linux", "amd64")));
    BOOST_TEST((must_parse("i386") == make("linux", "386")));
    BOOST_TEST((must_parse("armhf") == make("linux", "arm")));
    BOOST_TEST((must_parse("armel") == make("linux", "arm", "v6")));
    BOOST_TEST((must_parse("s390x") == make("linux", "s390x")));
    BOOST_TEST((must_parse("linux") == make("linux", "amd64")));
    BOOST_TEST((must_parse("Windows") == make("windows", "amd64")));
    BOOST_TEST((must_parse("macos") == make("darwin", "amd64")));
    BOOST_TEST(must_parse("arm64").to_string() == "linux/arm64");
    BOOST_TEST(matches(must_parse("arm64"), make("linux", "arm64", "v8")));
    BOOST_TEST(!matches(must_parse("arm64"), make("linux", "amd64")));
}

// Windows images of one index that differ only by os.version are told apart by the full
// form, and a request with an os.version picks the one built for that version.
BOOST_AUTO_TEST_CASE(windows_os_version_selects_one_of_two) {
    const Platform ltsc2019 = make("windows", "amd64", "", "10.0.17763.1879");
    const Platform ltsc2022 = make("windows", "amd64", "", "10.0.20348.2340");
    BOOST_TEST(ltsc2019.to_string() == ltsc2022.to_string());
    BOOST_TEST(ltsc2019.to_string_all() == "windows(10.0.17763.1879)/amd64");
    BOOST_TEST(ltsc2022.to_string_all() == "windows(10.0.20348.2340)/amd64");
    const Platform want2019 = must_parse("windows(10.0.17763)/amd64");
    BOOST_TEST(matches(want2019, ltsc2019));
    BOOST_TEST(!matches(want2019, ltsc2022));
    const Platform want2022 = must_parse("windows(10.0.20348)/amd64");
    BOOST_TEST(!matches(want2022, ltsc2019));
    BOOST_TEST(matches(want2022, ltsc2022));
    BOOST_TEST(matches(must_parse(ltsc2022.to_string_all()), ltsc2022));
}

// database.go normalizeArch / normalizeOS, as exercised by platforms_test.go and
// compare_test.go; Normalize also sorts and de-duplicates os_features.
BOOST_AUTO_TEST_CASE(normalize_table) {
    struct Case {
        Platform in, out;
    };
    const std::vector<Case> cases = {
        {make("Linux", "i386", "v2"), make("linux", "386")},
        {make("linux", "x86_64", "v1"), make("linux", "amd64")},
        {make("linux", "x86-64", "v3"), make("linux", "amd64", "v3")},
        {make("linux", "AArch64", "8"), make("linux", "arm64")},
        {make("linux", "arm64", "v8"), make("linux", "arm64")},
        {make("linux", "arm64", "v8.0"), make("linux", "arm64")},
        {make("linux", "arm64", "9.0"), make("linux", "arm64", "v9")},
        {make("linux", "arm64", "v9.1"), make("linux", "arm64", "v9.1")},
        {make("linux", "armhf"), make("linux", "arm", "v7")},
        {make("linux", "armel"), make("linux", "arm", "v6")},
        {make("linux", "arm"), make("linux", "arm", "v7")},
        {make("linux", "arm", "7"), make("linux", "arm", "v7")},
        {make("linux", "arm", "5"), make("linux", "arm", "v5")},
        {make("macos", "arm64"), make("darwin", "arm64")},
        {make("linux", "amd64", "", "", {"b", "a", "b"}), make("linux", "amd64", "", "", {"a", "b"})},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.in.to_string_all()) { BOOST_TEST((normalize(c.in) == c.out)); }
    }
}

// compare_test.go TestOnlyStrict: OnlyStrict(p) is NewMatcher(Normalize(p)), i.e. matches().
BOOST_AUTO_TEST_CASE(only_strict_table) {
    struct Case {
        std::string platform;
        std::vector<std::string> yes, no;
    };
    const std::vector<Case> cases = {
        {"linux/amd64", {"linux/amd64"}, {"linux/386", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"}},
        {"linux/386", {"linux/386"}, {"linux/amd64", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"}},
        {"windows/amd64",
         {"windows/amd64", "windows(10.0.17763)/amd64"},
         {"linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"}},
        {"windows(10.0.17763)/amd64",
         {"windows/amd64", "windows(10.0.17763)/amd64"},
         {"linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"}},
        {"linux/arm/v8",
         {"linux/arm/v8"},
         {"linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/amd64", "linux/arm/v4", "linux/arm64",
          "windows/amd64", "windows/arm"}},
        {"linux/arm/v7",
         {"linux/arm", "linux/arm/v7"},
         {"linux/arm/v5", "linux/arm/v6", "linux/amd64", "linux/arm/v4", "linux/arm/v8", "linux/arm64",
          "windows/amd64", "windows/arm"}},
        {"linux/arm/v6",
         {"linux/arm/v6"},
         {"linux/arm/v5", "linux/amd64", "linux/arm", "linux/arm/v4", "linux/arm/v7", "linux/arm/v8", "linux/arm64",
          "windows/amd64", "windows/arm"}},
        {"linux/arm/v5",
         {"linux/arm/v5"},
         {"linux/amd64", "linux/arm", "linux/arm/v4", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64",
          "windows/amd64", "windows/arm"}},
        {"linux/arm/v4",
         {"linux/arm/v4"},
         {"linux/amd64", "linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64",
          "windows/amd64", "windows/arm"}},
        {"linux/arm64/v9.5",
         {"linux/arm64/v9.5"},
         {"linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/amd64", "linux/arm/v4",
          "linux/arm64/v8", "linux/arm64/v8.1", "linux/arm64/v9", "linux/arm64/v9.1", "linux/arm64/v9.4",
          "windows/amd64", "windows/arm"}},
        {"linux/arm64/v9",
         {"linux/arm64/v9", "linux/arm64/v9.0"},
         {"linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/amd64", "linux/arm/v4",
          "linux/arm/v9", "linux/arm64/v8", "linux/arm64/v8.1", "windows/amd64", "windows/arm"}},
        {"linux/arm64/v8.1",
         {"linux/arm64/v8.1"},
         {"linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/amd64", "linux/arm/v4",
          "linux/arm/v9", "linux/arm64/v8", "linux/arm64/v9", "windows/amd64", "windows/arm"}},
        {"linux/arm64",
         {"linux/arm64", "linux/arm64/v8"},
         {"linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/amd64", "linux/arm/v4",
          "linux/arm/v9", "linux/arm64/v9", "windows/amd64", "windows/arm"}},
    };
    for (const auto& c : cases) {
        const Platform want = must_parse(c.platform);
        for (const auto& s : c.yes) {
            BOOST_TEST_CONTEXT(c.platform << " accepts " << s) { BOOST_TEST(matches(want, must_parse(s))); }
        }
        for (const auto& s : c.no) {
            BOOST_TEST_CONTEXT(c.platform << " refuses " << s) { BOOST_TEST(!matches(want, must_parse(s))); }
        }
    }
}

// An empty variant is the default variant, not a wildcard (database.go normalizeArch):
// amd64 "" is v1, and the other architectures have no default at all.
BOOST_AUTO_TEST_CASE(empty_variant_is_the_default_variant) {
    BOOST_TEST(matches(make("linux", "amd64"), make("linux", "amd64", "v1")));
    BOOST_TEST(!matches(make("linux", "amd64"), make("linux", "amd64", "v2")));
    BOOST_TEST(!matches(make("linux", "riscv64"), make("linux", "riscv64", "rva22u64")));
    BOOST_TEST(matches(make("linux", "arm", "v7"), make("linux", "arm")));
}

// compare_test.go TestCompareOSFeatures: the image's features must be a subset of the
// requested ones (platforms.go matcher.Match); an image without features always passes.
BOOST_AUTO_TEST_CASE(os_features_subset) {
    BOOST_TEST(matches(must_parse("linux/amd64"), must_parse("linux/amd64")));
    BOOST_TEST(!matches(must_parse("linux/amd64"), must_parse("linux(+other)/amd64")));
    BOOST_TEST(!matches(must_parse("linux(+none)/amd64"), must_parse("linux(+other)/amd64")));
    BOOST_TEST(matches(must_parse("linux(+other)/amd64"), must_parse("linux/amd64")));
    BOOST_TEST(matches(must_parse("linux(+af+other+zf)/amd64"), must_parse("linux(+other)/amd64")));
    for (const char* have : {"linux/amd64", "linux(+f2)/amd64", "linux(+f1)/amd64", "linux(+f1+f2)/amd64"}) {
        BOOST_TEST_CONTEXT(have) { BOOST_TEST(matches(must_parse("linux(+f1+f2)/amd64"), must_parse(have))); }
    }
    // Linux versions are not compared ("linux(7.2+other)" row): only Windows has version rules.
    BOOST_TEST(matches(must_parse("linux(7.2+other)/amd64"), must_parse("linux(7.1)/amd64")));
    // windowsStripFeaturesMatcher: a Windows request ignores win32k on the image.
    BOOST_TEST(matches(must_parse("windows(10.0.17763)/amd64"), must_parse("windows(10.0.17763+win32k)/amd64")));
    BOOST_TEST(!matches(must_parse("linux/amd64"), must_parse("linux(+win32k)/amd64")));
}

// platform_windows_compat_test.go Test_PlatformCompat, through matches() with
// os_version "10.0.<build>".
BOOST_AUTO_TEST_CASE(windows_host_container_compat) {
    const int ltsc2019 = 17763, ltsc2022 = 20348, win11 = 22621, v23h2 = 25398, ltsc2025 = 26100;
    struct Case {
        int host, ctr;
        bool runs;
    };
    const std::vector<Case> cases = {
        {ltsc2019, ltsc2019, true}, {ltsc2019, ltsc2022, false}, {ltsc2022, ltsc2019, false},
        {ltsc2022, ltsc2022, true}, {win11, ltsc2019, false},    {win11, ltsc2022, true},
        {v23h2, ltsc2019, false},   {v23h2, ltsc2022, true},     {ltsc2025, ltsc2022, true},
        {ltsc2022, ltsc2025, false}, {ltsc2022, win11, false},   {ltsc2025, win11, true},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("host " << c.host << " container " << c.ctr) {
            const Platform host = make("windows", "amd64", "", "10.0." + std::to_string(c.host));
            const Platform ctr = make("windows", "amd64", "", "10.0." + std::to_string(c.ctr) + ".1");
            BOOST_TEST(matches(host, ctr) == c.runs);
        }
    }
}

// defaults_windows_test.go TestMatchComparerMatch_WCOW / _LCOW (host 10.0.17763) and
// platforms_windows_test.go TestFallbackOnOSVersion.
BOOST_AUTO_TEST_CASE(windows_version_matching) {
    const Platform host = make("windows", "amd64", "", "10.0.17763");
    BOOST_TEST(matches(host, host));
    BOOST_TEST(matches(host, make("windows", "amd64", "", "10.0.17763.1")));
    BOOST_TEST(matches(host, make("windows", "amd64", "", "10.0.17763.2")));
    BOOST_TEST(!matches(host, make("windows", "amd64", "", "10.0.17762.1")));
    BOOST_TEST(!matches(host, make("windows", "amd64", "", "10.0.17764.1")));
    BOOST_TEST(matches(host, make("windows", "amd64")));
    BOOST_TEST(!matches(host, make("linux", "amd64")));

    const Platform lcow = make("linux", "amd64");
    BOOST_TEST(!matches(lcow, host));
    BOOST_TEST(!matches(lcow, make("windows", "amd64")));
    BOOST_TEST(!matches(lcow, make("windows", "amd64", "", "10.0.17763.2")));
    BOOST_TEST(matches(lcow, make("linux", "amd64")));

    // TestFallbackOnOSVersion: an image without a version matches any request version.
    BOOST_TEST(matches(make("windows", "amd64", "", "99.99.99.99"), make("windows", "amd64")));
    // getWindowsOSVersion: a request version that does not parse (fewer than three parts,
    // or out of range) places no constraint; an image version that does not parse fails.
    BOOST_TEST(matches(make("windows", "amd64", "", "10.0"), make("windows", "amd64", "", "10.0.17763.1")));
    BOOST_TEST(matches(make("windows", "amd64", "", "300.0.1"), make("windows", "amd64", "", "10.0.17763.1")));
    BOOST_TEST(!matches(host, make("windows", "amd64", "", "10.0.x")));
}

BOOST_AUTO_TEST_SUITE_END()
