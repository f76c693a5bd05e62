// go_escape: RapidJSON's output rewritten as Go's encoding/json writes it (the JSON
// formats match `docker inspect`'s byte for byte). The expected strings follow Go's
// documented rules: <, > and & as \u003c, \u003e, \u0026 (HTMLEscape, on by default);
// U+2028 and U+2029 as \u2028 and \u2029; each invalid UTF-8 byte as \ufffd; \u escapes in
// lower case.
#include <boost/test/unit_test.hpp>

#include <string>

#include "report/json_writer.hpp"

using tarsier::report::go_escape;

BOOST_AUTO_TEST_SUITE(report_json_escape)

BOOST_AUTO_TEST_CASE(html_characters_in_strings_only) {
    BOOST_TEST(go_escape(R"({"a<b":"x<y>&z"})") == R"({"a\u003cb":"x\u003cy\u003e\u0026z"})");
    BOOST_TEST(go_escape(R"({"a<b":"x<y>&z"})", false) == R"({"a<b":"x<y>&z"})");
    BOOST_TEST(go_escape(R"([1,2,{"k":true}])") == R"([1,2,{"k":true}])");
}

BOOST_AUTO_TEST_CASE(escapes_kept_and_lowered) {
    BOOST_TEST(go_escape(R"(["\u001F\"\\\n"])") == R"(["\u001f\"\\\n"])");
    BOOST_TEST(go_escape(R"(["a\"<b"])") == R"(["a\"\u003cb"])");
}

BOOST_AUTO_TEST_CASE(line_separators_and_invalid_utf8) {
    BOOST_TEST(go_escape("[\"a\xe2\x80\xa8" "b\xe2\x80\xa9\"]") == R"(["a\u2028b\u2029"])");
    BOOST_TEST(go_escape("[\"\xc3\xa9\xe2\x82\xac\"]") == "[\"\xc3\xa9\xe2\x82\xac\"]");  // é and € as they are
    BOOST_TEST(go_escape("[\"a\xff" "b\xc3\"]") == R"(["a\ufffdb\ufffd"])");
}

BOOST_AUTO_TEST_CASE(long_plain_runs) {
    std::string plain(100000, 'x');
    BOOST_TEST(go_escape("[\"" + plain + "<\"]") == "[\"" + plain + "\\u003c\"]");
}

BOOST_AUTO_TEST_SUITE_END()
