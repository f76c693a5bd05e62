#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/path.hpp"

using namespace tarsier::util;

BOOST_AUTO_TEST_SUITE(util_path)

// cleantests in Go's src/path/path_test.go.
BOOST_AUTO_TEST_CASE(clean_path_matches_go_path_clean) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "."},
        {"abc", "abc"},
        {"abc/def", "abc/def"},
        {"a/b/c", "a/b/c"},
        {".", "."},
        {"..", ".."},
        {"../..", "../.."},
        {"../../abc", "../../abc"},
        {"/abc", "/abc"},
        {"/", "/"},
        {"abc/", "abc"},
        {"abc/def/", "abc/def"},
        {"a/b/c/", "a/b/c"},
        {"./", "."},
        {"../", ".."},
        {"../../", "../.."},
        {"/abc/", "/abc"},
        {"abc//def//ghi", "abc/def/ghi"},
        {"//abc", "/abc"},
        {"///abc", "/abc"},
        {"//abc//", "/abc"},
        {"abc//", "abc"},
        {"abc/./def", "abc/def"},
        {"/./abc/def", "/abc/def"},
        {"abc/.", "abc"},
        {"abc/def/ghi/../jkl", "abc/def/jkl"},
        {"abc/def/../ghi/../jkl", "abc/jkl"},
        {"abc/def/..", "abc"},
        {"abc/def/../..", "."},
        {"/abc/def/../..", "/"},
        {"abc/def/../../..", ".."},
        {"/abc/def/../../..", "/"},
        {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
        {"abc/./../def", "def"},
        {"abc//./../def", "def"},
        {"abc/../../././../def", "../../def"},
        {"...", "..."},
        {"a/.../b", "a/.../b"},
        {"..a/b", "..a/b"},
    };
    for (const auto& [in, want] : cases) BOOST_TEST(clean_path(in) == want, "clean_path(\"" << in << "\")");
}

BOOST_AUTO_TEST_CASE(in_root_strips_prefixes_and_dots) {
    BOOST_TEST(*clean_path_in_root("./a/b") == "a/b");
    BOOST_TEST(*clean_path_in_root("/a//b/./c/") == "a/b/c");
    BOOST_TEST(*clean_path_in_root("a/../b") == "b");
    BOOST_TEST(*clean_path_in_root("a/b") == "a/b");
    BOOST_TEST(*clean_path_in_root("a/b/../..") == "");
    BOOST_TEST(*clean_path_in_root("./") == "");
    BOOST_TEST(*clean_path_in_root("/") == "");
    BOOST_TEST(*clean_path_in_root("") == "");
    BOOST_TEST(*clean_path_in_root("...") == "...");
    BOOST_TEST(*clean_path_in_root(".wh..wh..opq") == ".wh..wh..opq");
}

BOOST_AUTO_TEST_CASE(in_root_refuses_climbing_above_the_root) {
    BOOST_TEST(!clean_path_in_root("..").has_value());
    BOOST_TEST(!clean_path_in_root("../etc/passwd").has_value());
    BOOST_TEST(!clean_path_in_root("a/../../b").has_value());
    BOOST_TEST(!clean_path_in_root("/../b").has_value());
    BOOST_TEST(!clean_path_in_root("./a/./../..").has_value());
}

BOOST_AUTO_TEST_CASE(clamped_stays_at_the_root) {
    BOOST_TEST(clean_path_clamped("/etc/passwd") == "etc/passwd");
    BOOST_TEST(clean_path_clamped("etc//passwd/") == "etc/passwd");
    BOOST_TEST(clean_path_clamped("./etc/./x/../passwd") == "etc/passwd");
    BOOST_TEST(clean_path_clamped("/") == "");
    BOOST_TEST(clean_path_clamped("") == "");
    BOOST_TEST(clean_path_clamped("/../..") == "");
    BOOST_TEST(clean_path_clamped("../etc") == "etc");
    BOOST_TEST(clean_path_clamped("a/../../b/c") == "b/c");
}

BOOST_AUTO_TEST_CASE(in_root_fast_path_agrees_with_the_general_pass) {
    // Every name of up to 7 bytes from 'a', '.' and '/': clean_path_in_root (whose fast
    // path skips names already clean) and its view form agree with clean_path, the
    // general pass, applied as the header says (leading '/' ignored, "." is the root,
    // ".." climbs).
    const std::string alphabet = "a./";
    std::vector<std::string> names{""};
    for (std::size_t len = 1, from = 0; len <= 7; ++len) {
        const std::size_t to = names.size();
        for (std::size_t i = from; i < to; ++i)
            for (char c : alphabet) names.push_back(names[i] + c);
        from = to;
    }
    // Longer names too (the fast path looks at 16 bytes at a time): a fixed pseudo-random
    // sequence of 17 to 60 bytes, mostly 'a' so that clean ones come up.
    std::uint32_t state = 12345;
    for (int k = 0; k < 20000; ++k) {
        std::string name;
        state = state * 1664525u + 1013904223u;
        const std::size_t len = 17 + (state >> 8) % 44;
        for (std::size_t j = 0; j < len; ++j) {
            state = state * 1664525u + 1013904223u;
            const auto r = (state >> 16) % 40;
            name += r == 0 ? '.' : r < 4 ? '/' : r == 4 && j > 0 && name.back() == '/' ? '/' : 'a';
        }
        names.push_back(name);
    }
    for (const auto& name : names) {
        std::string_view rest = name;
        while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
        const std::string general = clean_path(rest);
        std::optional<std::string> want;
        if (general == ".") want = "";
        else if (general != ".." && general.rfind("../", 0) != 0) want = general;
        BOOST_TEST((clean_path_in_root(name) == want), name);
        if (auto view = clean_path_in_root_view(name)) BOOST_TEST((want && *view == *want), name);
    }
}

BOOST_AUTO_TEST_CASE(below_means_inside_a_directory) {
    BOOST_TEST(is_below("usr/lib/x", "usr/lib"));
    BOOST_TEST(is_below("usr/lib/x/y", "usr"));
    BOOST_TEST(!is_below("usr/lib", "usr/lib"));
    BOOST_TEST(!is_below("usr/lib-x", "usr/lib"));  // sorts between "usr/lib" and "usr/lib/x"
    BOOST_TEST(!is_below("usr/li", "usr/lib"));
    BOOST_TEST(!is_below("usr", "usr/lib"));
    BOOST_TEST(is_below("etc", ""));
    BOOST_TEST(!is_below("", ""));
}

BOOST_AUTO_TEST_SUITE_END()
