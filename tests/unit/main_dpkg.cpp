// main() for test executables that ask the real dpkg: they skip (exit 77, which Meson
// reports as skipped) when dpkg is not on the PATH.
#define BOOST_TEST_MODULE tarsier_dpkg
#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char* argv[]) {
    if (std::system("command -v dpkg >/dev/null 2>&1") != 0) {
        std::puts("dpkg is not installed: skipping");
        return 77;
    }
    return boost::unit_test::unit_test_main([] { return true; }, argc, argv);
}
