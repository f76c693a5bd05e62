#include <boost/test/unit_test.hpp>

#include <string>
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

BOOST_AUTO_TEST_SUITE_END()
