// apk's version order on the table of pkg_apk_version_pairs.hpp (taken from apk-tools' own
// test table and rules; test_pkg_corpus.cpp checks the table against apk-tools itself).
#include <boost/test/unit_test.hpp>

#include <string>

#include "pkg/inventory.hpp"
#include "pkg_apk_version_pairs.hpp"

using namespace tarsier;

namespace {

using testing::kApkPairs;

int sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }
int sign_of(char op) { return op == '<' ? -1 : op == '>' ? 1 : 0; }

}  // namespace

BOOST_AUTO_TEST_SUITE(pkg_versions)

BOOST_AUTO_TEST_CASE(apk_version_table) {
    for (const auto& p : kApkPairs) {
        const int want = sign_of(p.op);
        BOOST_TEST(sign(pkg::compare_versions(pkg::Ecosystem::apk, p.a, p.b)) == want, p.a << ' ' << p.op << ' ' << p.b);
        BOOST_TEST(sign(pkg::compare_versions(pkg::Ecosystem::apk, p.b, p.a)) == -want, p.b << " vs " << p.a);
    }
}

BOOST_AUTO_TEST_CASE(apk_versions_of_hostile_text_do_not_crash) {
    // Invalid versions compare by their valid prefix; nothing here may crash or hang.
    const char* odd[] = {"", "-", "-r", "_", "_x", "1..2", "1.-r", "1_", "1_alpha_", "a", "1a2b3c", "99999999999999999999999",
                         "1.0\0x", "~", "1-r-r"};
    for (const char* a : odd) {
        for (const char* b : odd) (void)pkg::compare_versions(pkg::Ecosystem::apk, a, b);
    }
    BOOST_TEST(pkg::compare_versions(pkg::Ecosystem::apk, "1.0", "1.0") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
