// main() for test executables that read ../shared/corpus/pkgdb (real package databases
// with listings made by the real tools): they skip (exit 77) when it is absent.
#define BOOST_TEST_MODULE tarsier_pkgdb
#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <cstdio>

int main(int argc, char* argv[]) {
    struct stat st{};
    if (::stat(TARSIER_SOURCE_ROOT "/../shared/corpus/pkgdb", &st) != 0) {
        std::puts("../shared/corpus/pkgdb is absent: skipping");
        return 77;
    }
    return boost::unit_test::unit_test_main([] { return true; }, argc, argv);
}
