// main() for the tests that ask Debian's `rpm` (4.18) for the answers: they skip (exit
// 77) when rpm is not installed (scripts/setup --tests installs it).
#define BOOST_TEST_MODULE tarsier_rpm_tool
#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char* argv[]) {
    if (std::system("rpm --version >/dev/null 2>&1") != 0) {
        std::puts("rpm is not installed: skipping");
        return 77;
    }
    return boost::unit_test::unit_test_main([] { return true; }, argc, argv);
}
