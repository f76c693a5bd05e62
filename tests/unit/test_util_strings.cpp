#include <boost/test/unit_test.hpp>

#include "util/error.hpp"
#include "util/strings.hpp"

using namespace tarsier::util;

BOOST_AUTO_TEST_SUITE(util_strings)

BOOST_AUTO_TEST_CASE(split_keeps_empty_fields) {
    auto parts = split("a::b", ':');
    BOOST_TEST(parts.size() == 3u);
    BOOST_TEST(parts[0] == "a");
    BOOST_TEST(parts[1] == "");
    BOOST_TEST(parts[2] == "b");
}

BOOST_AUTO_TEST_CASE(escape_makes_control_bytes_visible) {
    BOOST_TEST(escape_for_display("a\x1b[31mb") == "a\\x1b[31mb");
    BOOST_TEST(escape_for_display("tab\there") == "tab\\x09here");
    // A literal backslash is escaped, so "\\x1b" typed by a user never looks like ESC.
    BOOST_TEST(escape_for_display("a\\x1b") == "a\\\\x1b");
}

BOOST_AUTO_TEST_CASE(escape_keeps_valid_utf8_and_escapes_invalid) {
    BOOST_TEST(escape_for_display("caf\xc3\xa9") == "caf\xc3\xa9");
    BOOST_TEST(escape_for_display("bad\xff") == "bad\\xff");
    BOOST_TEST(escape_for_display("\xc3") == "\\xc3");          // cut sequence
    BOOST_TEST(escape_for_display("\xc2\x9b") == "\\xc2\\x9b");  // C1 CSI
    BOOST_TEST(is_valid_utf8("caf\xc3\xa9"));
    BOOST_TEST(!is_valid_utf8("\xed\xa0\x80"));  // surrogate
}

BOOST_AUTO_TEST_CASE(error_line_joins_present_parts) {
    Error e = make_error(ErrorKind::malformed, "manifest.json", "not JSON");
    BOOST_TEST(e.in_file("a.tar").to_string() == "a.tar: manifest.json: not JSON");
    BOOST_TEST(e.at("layer 2").to_string() == "layer 2: manifest.json: not JSON");
    BOOST_TEST(make_error(ErrorKind::usage, "", "x").to_string() == "x");
}

BOOST_AUTO_TEST_SUITE_END()
