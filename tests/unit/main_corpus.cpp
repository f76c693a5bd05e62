// main() for test executables that read ../shared/corpus/real (or the corpus folder
// TARSIER_CORPUS names): they skip (exit 77, which Meson reports as skipped) when the
// shared corpus is not beside the checkout.
#define BOOST_TEST_MODULE tarsier_corpus
#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <cstdio>

#ifndef TARSIER_CORPUS
#define TARSIER_CORPUS "real"
#endif

int main(int argc, char* argv[]) {
    struct stat st{};
    if (::stat(TARSIER_SOURCE_ROOT "/../shared/corpus/" TARSIER_CORPUS, &st) != 0) {
        std::puts("../shared/corpus/" TARSIER_CORPUS " is absent: skipping");
        return 77;
    }
    return boost::unit_test::unit_test_main([] { return true; }, argc, argv);
}
