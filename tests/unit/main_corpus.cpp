// main() for test executables that read ../shared/corpus/real (or the folder of
// ../shared that TARSIER_SHARED_NEEDS names): they skip (exit 77, which Meson reports as
// skipped) when it is not beside the checkout.
#define BOOST_TEST_MODULE tarsier_corpus
#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <cstdio>

#ifndef TARSIER_SHARED_NEEDS
#define TARSIER_SHARED_NEEDS "corpus/real"
#endif

int main(int argc, char* argv[]) {
    struct stat st{};
    if (::stat(TARSIER_SOURCE_ROOT "/../shared/" TARSIER_SHARED_NEEDS, &st) != 0) {
        std::puts("../shared/" TARSIER_SHARED_NEEDS " is absent: skipping");
        return 77;
    }
    return boost::unit_test::unit_test_main([] { return true; }, argc, argv);
}
