// dpkg's version order against `dpkg --compare-versions` itself, on the cases that catch
// comparators out: `~` (before everything, even the end), epochs, revisions, letters
// before non-letters, digit runs with leading zeros, binNMU and backport suffixes.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>
#include <utility>

#include "pkg/inventory.hpp"

using namespace tarsier;

namespace {

const std::pair<const char*, const char*> kDebPairs[] = {
    {"1.0~rc1", "1.0"}, {"1.0~~", "1.0~"}, {"1.0~~a", "1.0~"}, {"1.0~", "1.0"}, {"2~", "2~~a"},
    {"1.0", "1.0+b1"}, {"1.0", "1.0.0"}, {"1.0a", "1.0"}, {"1.0a", "1.0+"}, {"1.0.", "1.0+"}, {"1.0a", "1.0A"},
    {"1.0-0", "1.0"}, {"0.0", "0"}, {"00", "0"}, {"1.01", "1.1"}, {"1.001", "1.1"}, {"1.2.3", "1.2.10"},
    {"1:1.0", "2.0"}, {"0:1.0", "1.0"}, {"10:1", "9:99"}, {"1:0", "0:99"}, {"01:1", "1:1"},
    {"1.0-1", "1.0-1~bpo1"}, {"1.0-1ubuntu1", "1.0-1"}, {"1.0-1-1", "1.0-1"}, {"1.0-1.1", "1.0-1+b1"},
    {"1.2-3", "1.2-03"}, {"2.36-9+deb12u14", "2.36-9+deb12u3"}, {"3.0.22-1~deb12u2", "3.0.22-1"},
    {"5.1.1alpha+20120614-2+b3", "5.1.1alpha+20120614-2"}, {"1:2.20.1-2+deb10u3", "1:2.20.1-2"},
    {"1.0~beta1~svn1245", "1.0~beta1"}, {"7.88.1-10+deb12u5", "7.88.1-10+deb12u12"},
    {"2025b-0+deb12u1", "2026f-0+deb12u1"}, {"1.5.4+dfsg2-5+deb12u1", "1.5.4+dfsg-5+deb12u1"},
    {"1.0", "1.0"}, {"1:1.0-1", "1:1.0-1"}, {"1.0+~", "1.0+"}, {"1.0-a", "1.0-A"}, {"9", "10"},
    {"1.0.0~alpha", "1.0.0~~"}, {"4.4.18-2ubuntu1", "4.4.18-2ubuntu1.1"}, {"1.2+really1.1", "1.2"},
};

/// dpkg's own answer: -1, 0 or 1.
int dpkg_says(const std::string& a, const std::string& b) {
    auto run = [&](const char* op) {
        const std::string cmd = "dpkg --compare-versions '" + a + "' " + op + " '" + b + "'";
        return std::system(cmd.c_str()) == 0;
    };
    if (run("lt")) return -1;
    if (run("eq")) return 0;
    BOOST_TEST(run("gt"), "dpkg answers none of lt, eq, gt for " << a << " " << b);
    return 1;
}

int sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

}  // namespace

BOOST_AUTO_TEST_SUITE(pkg_deb_versions)

BOOST_AUTO_TEST_CASE(deb_versions_order_as_dpkg_does) {
    for (const auto& [a, b] : kDebPairs) {
        const int want = dpkg_says(a, b);
        BOOST_TEST(sign(pkg::compare_versions(pkg::Ecosystem::deb, a, b)) == want, a << " vs " << b);
        BOOST_TEST(sign(pkg::compare_versions(pkg::Ecosystem::deb, b, a)) == -want, b << " vs " << a);
    }
}

BOOST_AUTO_TEST_SUITE_END()
