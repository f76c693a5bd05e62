#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "report/units.hpp"

using namespace tarsier::report;
using namespace std::chrono_literals;

namespace {

constexpr double kKB = 1000;
constexpr double kMB = 1000 * kKB;
constexpr double kGB = 1000 * kMB;
constexpr double kTB = 1000 * kGB;
constexpr double kPB = 1000 * kTB;

// A fixed "now" (2026-01-01T00:00:00Z) so the relative times below do not depend on the clock.
constexpr std::int64_t kNow = 1767225600;
constexpr std::int64_t kDay = 86400;

}  // namespace

BOOST_AUTO_TEST_SUITE(report_units)

// Expectations from github.com/docker/go-units size_test.go (TestHumanSize, ExampleHumanSize).
BOOST_AUTO_TEST_CASE(human_size_matches_go_units_tests) {
    BOOST_TEST(human_size(1000) == "1kB");
    BOOST_TEST(human_size(1024) == "1.024kB");
    BOOST_TEST(human_size(1000000) == "1MB");
    BOOST_TEST(human_size(1048576) == "1.049MB");
    BOOST_TEST(human_size(2 * kMB) == "2MB");
    BOOST_TEST(human_size(3.42 * kGB) == "3.42GB");
    BOOST_TEST(human_size(5.372 * kTB) == "5.372TB");
    BOOST_TEST(human_size(2.22 * kPB) == "2.22PB");
    BOOST_TEST(human_size(10000000000000 * kPB) == "1e+04YB");
}

// Precision 3 is what docker's SIZE columns use. "183MB", "10B" and "10kB"/"15kB" are from
// docker/cli cli/command/image/formatter_history_test.go (TestHistoryContext_Size) and
// cli/command/formatter/image_test.go (TestImageContext); the rest were printed by go-units
// v0.5.0 HumanSizeWithPrecision under Go in a throwaway program.
BOOST_AUTO_TEST_CASE(human_size_with_docker_precision) {
    BOOST_TEST(human_size(182964289, 3) == "183MB");
    BOOST_TEST(human_size(10, 3) == "10B");
    BOOST_TEST(human_size(10000) == "10kB");
    BOOST_TEST(human_size(20000 - 5000) == "15kB");
    BOOST_TEST(human_size(0, 3) == "0B");
    BOOST_TEST(human_size(999, 3) == "999B");
    BOOST_TEST(human_size(1000, 3) == "1kB");
    BOOST_TEST(human_size(29.7e6, 3) == "29.7MB");
    BOOST_TEST(human_size(1.22e6, 3) == "1.22MB");
    BOOST_TEST(human_size(1048576, 3) == "1.05MB");
    // Rounding to three digits reaches 1000 without moving to the next unit.
    BOOST_TEST(human_size(999950, 3) == "1e+03kB");
    BOOST_TEST(human_size(999950) == "1000kB");
    BOOST_TEST(human_size(999.5, 3) == "1e+03B");
    BOOST_TEST(human_size(999, 2) == "1e+03B");
    // Go rounds an exact tie to even: 125 at two digits is 1.2e+02.
    BOOST_TEST(human_size(125000, 2) == "1.2e+02kB");
    BOOST_TEST(human_size(1e27, 3) == "1e+03YB");
    BOOST_TEST(human_size(-5, 3) == "-5B");
    BOOST_TEST(human_size(0.5, 3) == "0.5B");
    BOOST_TEST(human_size(std::numeric_limits<double>::infinity(), 3) == "+InfYB");
    BOOST_TEST(human_size(std::nan(""), 3) == "NaNB");
}

BOOST_AUTO_TEST_CASE(go_format_g_uses_exponent_form_like_go) {
    BOOST_TEST(go_format_g(1.5, 3) == "1.5");
    BOOST_TEST(go_format_g(0.0001234, 3) == "0.000123");
    BOOST_TEST(go_format_g(0.00001234, 3) == "1.23e-05");
    BOOST_TEST(go_format_g(123456, 3) == "1.23e+05");
    BOOST_TEST(go_format_g(7, 0) == "7");
}

// The table of github.com/docker/go-units duration_test.go (TestHumanDuration).
BOOST_AUTO_TEST_CASE(go_duration_matches_go_time_duration_string) {
    // Values from Go's time package tests (TestDurationString).
    using std::chrono::nanoseconds;
    BOOST_TEST(go_duration(nanoseconds(0)) == "0s");
    BOOST_TEST(go_duration(nanoseconds(1)) == "1ns");
    BOOST_TEST(go_duration(nanoseconds(1100)) == "1.1\u00b5s");
    BOOST_TEST(go_duration(nanoseconds(2200000)) == "2.2ms");
    BOOST_TEST(go_duration(nanoseconds(3300000000)) == "3.3s");
    BOOST_TEST(go_duration(nanoseconds(4LL * 60 * 1000000000 + 5000000000)) == "4m5s");
    BOOST_TEST(go_duration(nanoseconds(4LL * 60 * 1000000000 + 5001000000)) == "4m5.001s");
    BOOST_TEST(go_duration(nanoseconds(5LL * 3600 * 1000000000 + 6LL * 60 * 1000000000 + 7001000000)) == "5h6m7.001s");
    BOOST_TEST(go_duration(nanoseconds(8LL * 60 * 1000000000 + 1)) == "8m0.000000001s");
    BOOST_TEST(go_duration(nanoseconds(3600LL * 1000000000)) == "1h0m0s");
    BOOST_TEST(go_duration(nanoseconds(-1)) == "-1ns");
}

BOOST_AUTO_TEST_CASE(human_duration_matches_go_units_tests) {
    const auto day = std::chrono::hours(24);
    const auto week = 7 * day;
    const auto month = 30 * day;
    const auto year = 365 * day;
    BOOST_TEST(human_duration(450ms) == "Less than a second");
    BOOST_TEST(human_duration(1s) == "1 second");
    BOOST_TEST(human_duration(45s) == "45 seconds");
    BOOST_TEST(human_duration(46s) == "46 seconds");
    BOOST_TEST(human_duration(59s) == "59 seconds");
    BOOST_TEST(human_duration(60s) == "About a minute");
    BOOST_TEST(human_duration(1min) == "About a minute");
    BOOST_TEST(human_duration(3min) == "3 minutes");
    BOOST_TEST(human_duration(35min) == "35 minutes");
    BOOST_TEST(human_duration(35min + 40s) == "35 minutes");
    BOOST_TEST(human_duration(45min) == "45 minutes");
    BOOST_TEST(human_duration(45min + 40s) == "45 minutes");
    BOOST_TEST(human_duration(46min) == "46 minutes");
    BOOST_TEST(human_duration(59min) == "59 minutes");
    BOOST_TEST(human_duration(1h) == "About an hour");
    BOOST_TEST(human_duration(1h + 29min) == "About an hour");
    BOOST_TEST(human_duration(1h + 31min) == "2 hours");
    BOOST_TEST(human_duration(1h + 59min) == "2 hours");
    BOOST_TEST(human_duration(3h) == "3 hours");
    BOOST_TEST(human_duration(3h + 29min) == "3 hours");
    BOOST_TEST(human_duration(3h + 31min) == "4 hours");
    BOOST_TEST(human_duration(3h + 59min) == "4 hours");
    BOOST_TEST(human_duration(3h + 60min) == "4 hours");
    BOOST_TEST(human_duration(24h) == "24 hours");
    BOOST_TEST(human_duration(day + 12h) == "36 hours");
    BOOST_TEST(human_duration(2 * day) == "2 days");
    BOOST_TEST(human_duration(7 * day) == "7 days");
    BOOST_TEST(human_duration(13 * day + 5h) == "13 days");
    BOOST_TEST(human_duration(2 * week) == "2 weeks");
    BOOST_TEST(human_duration(2 * week + 4 * day) == "2 weeks");
    BOOST_TEST(human_duration(3 * week) == "3 weeks");
    BOOST_TEST(human_duration(4 * week) == "4 weeks");
    BOOST_TEST(human_duration(4 * week + 3 * day) == "4 weeks");
    BOOST_TEST(human_duration(month) == "4 weeks");
    BOOST_TEST(human_duration(month + 2 * week) == "6 weeks");
    BOOST_TEST(human_duration(2 * month) == "2 months");
    BOOST_TEST(human_duration(2 * month + 2 * week) == "2 months");
    BOOST_TEST(human_duration(3 * month) == "3 months");
    BOOST_TEST(human_duration(3 * month + week) == "3 months");
    BOOST_TEST(human_duration(5 * month + 2 * week) == "5 months");
    BOOST_TEST(human_duration(13 * month) == "13 months");
    BOOST_TEST(human_duration(23 * month) == "23 months");
    BOOST_TEST(human_duration(24 * month) == "24 months");
    BOOST_TEST(human_duration(24 * month + 2 * week) == "2 years");
    BOOST_TEST(human_duration(3 * year + 2 * month) == "3 years");
}

// Printed by go-units under Go: a negative duration and the largest one.
BOOST_AUTO_TEST_CASE(human_duration_extremes) {
    BOOST_TEST(human_duration(-5s) == "Less than a second");
    BOOST_TEST(human_duration(std::chrono::nanoseconds::max()) == "292 years");
}

// The rules of docker/cli cli/command/image/formatter_history.go (CreatedSince), with the
// cases of formatter_history_test.go (TestHistoryContext_CreatedSince, TestHistoryContext_Table).
BOOST_AUTO_TEST_CASE(history_created_since) {
    BOOST_TEST(created_since(kNow - 7 * kDay, kNow) == "7 days ago");
    BOOST_TEST(created_since(kNow - kDay, kNow) == "24 hours ago");
    BOOST_TEST(created_since(0, kNow) == "N/A");
    BOOST_TEST(created_since(342699780, kNow) == "N/A");  // 1980-11-10T10:23:00Z
    BOOST_TEST(created_since(946684800, kNow) == "N/A");  // 2000-01-01T00:00:00Z itself
    BOOST_TEST(created_since(946684801, kNow) == "26 years ago");
    BOOST_TEST(created_since(1420070400, kNow) == "11 years ago");  // 2015-01-01
    BOOST_TEST(created_since(1230768000, kNow) == "17 years ago");  // 2009-01-01
    BOOST_TEST(created_since(kNow + 60, kNow) == "Less than a second ago");
}

// cli/command/formatter/image.go hides only Go's zero time (image_test.go, TestImageContext).
BOOST_AUTO_TEST_CASE(image_list_created_since) {
    BOOST_TEST(created_since(-62135596800, kNow, CreatedRule::image_list) == "");
    BOOST_TEST(created_since(0, kNow, CreatedRule::image_list) == "56 years ago");
    BOOST_TEST(created_since(kNow - kDay, kNow, CreatedRule::image_list) == "24 hours ago");
    // Time.Sub saturates at about 292 years instead of overflowing.
    BOOST_TEST(created_since(-62135596799, kNow, CreatedRule::image_list) == "292 years ago");
}

// Go's time/format_test.go: rfc3339Formats, and formatTests for
// Unix(0, 1233810057012345600) in PST ("2009-02-04T21:00:57.0123456-08:00").
BOOST_AUTO_TEST_CASE(rfc3339_matches_go_time_tests) {
    BOOST_TEST(rfc3339(1221681866) == "2008-09-17T20:04:26Z");
    BOOST_TEST(rfc3339(779850266, -18000) == "1994-09-17T20:04:26-05:00");
    BOOST_TEST(rfc3339(977777706, 15600) == "2000-12-26T01:15:06+04:20");
    BOOST_TEST(rfc3339(1233810057, -8 * 3600) == "2009-02-04T21:00:57-08:00");
    BOOST_TEST(rfc3339_nano(1233810057, 12345600, -8 * 3600) ==
               "2009-02-04T21:00:57.0123456-08:00");
    BOOST_TEST(rfc3339_nano(1233810057, 0, -8 * 3600) == "2009-02-04T21:00:57-08:00");
    // Printed by Go: time.Unix(1700000000, 120000000).UTC().Format(time.RFC3339Nano).
    BOOST_TEST(rfc3339_nano(1700000000, 120000000) == "2023-11-14T22:13:20.12Z");
    BOOST_TEST(rfc3339(-62135596800) == "0001-01-01T00:00:00Z");
    BOOST_TEST(rfc3339(951782400) == "2000-02-29T00:00:00Z");
}

// The CreatedAt shape of docker's image ls JSON, from docs/reference/commandline/image_ls.md
// ("2021-03-04 03:24:42 +0100 CET").
BOOST_AUTO_TEST_CASE(go_time_string_matches_docker_docs) {
    BOOST_TEST(go_time_string(1614824682, 0, 3600, "CET") == "2021-03-04 03:24:42 +0100 CET");
    BOOST_TEST(go_time_string(1614824682, 500000000, 0, "UTC") ==
               "2021-03-04 02:24:42.5 +0000 UTC");
    BOOST_TEST(go_time_string(1614824682, 0, -9000, "") == "2021-03-03 23:54:42 -0230 -0230");
}

BOOST_AUTO_TEST_SUITE_END()
