// The one translation unit that defines main() for each Boost.Test executable.
#define BOOST_TEST_MODULE tarsier
#include <boost/test/unit_test.hpp>
