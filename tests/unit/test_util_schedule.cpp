#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "util/schedule.hpp"
#include "xorshift.hpp"

using tarsier::util::makespan;
using tarsier::util::schedule_order;

BOOST_AUTO_TEST_SUITE(util_schedule)

namespace {

/// The smallest makespan any order gives two workers, by trying every order.
std::uint64_t best_of_every_order(const std::vector<std::uint64_t>& costs) {
    std::vector<std::size_t> order(costs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::uint64_t best = UINT64_MAX;
    do best = std::min(best, makespan(costs, order, 2));
    while (std::next_permutation(order.begin(), order.end()));
    return best;
}

bool is_permutation_of_all(const std::vector<std::size_t>& order, std::size_t n) {
    std::vector<std::size_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), std::size_t{0});
    return sorted == all;
}

}  // namespace

// The bench image's layers (MB to decode): longest first ends at 592, one thread doing
// 194+161+145+92 while the other idles; the best split is 161+194+193 against
// 190+145+123+92, ending at 550.
BOOST_AUTO_TEST_CASE(the_bench_image_splits_better_than_longest_first) {
    const std::vector<std::uint64_t> costs{161, 194, 190, 193, 145, 123, 92};
    std::vector<std::size_t> longest(costs.size());
    std::iota(longest.begin(), longest.end(), std::size_t{0});
    std::stable_sort(longest.begin(), longest.end(), [&](auto a, auto b) { return costs[a] > costs[b]; });
    BOOST_TEST(makespan(costs, longest, 2) == 592u);
    auto order = schedule_order(costs, 2);
    BOOST_TEST(is_permutation_of_all(order, costs.size()));
    BOOST_TEST(makespan(costs, order, 2) == 550u);
}

// For two workers and few jobs, the order is as good as the best of every order.
BOOST_AUTO_TEST_CASE(two_workers_get_the_best_order) {
    tarsier::test::XorShift rng(11);
    for (int round = 0; round < 200; ++round) {
        std::vector<std::uint64_t> costs(1 + rng.next(7));
        for (auto& c : costs) c = 1 + rng.next(round % 2 ? 10 : 1000);
        auto order = schedule_order(costs, 2);
        BOOST_TEST_CONTEXT("round " << round) {
            BOOST_TEST(is_permutation_of_all(order, costs.size()));
            BOOST_TEST(makespan(costs, order, 2) == best_of_every_order(costs));
        }
    }
}

// Other worker counts, and too many jobs to try every split: the longest first.
BOOST_AUTO_TEST_CASE(otherwise_the_longest_first) {
    const std::vector<std::uint64_t> costs{5, 9, 1, 9, 3};
    BOOST_TEST((schedule_order(costs, 1) == std::vector<std::size_t>{1, 3, 0, 4, 2}));
    BOOST_TEST((schedule_order(costs, 3) == std::vector<std::size_t>{1, 3, 0, 4, 2}));
    std::vector<std::uint64_t> many(tarsier::util::kExactJobs + 1, 7);
    many[5] = 8;
    auto order = schedule_order(many, 2);
    BOOST_TEST(order.front() == 5u);
    BOOST_TEST(is_permutation_of_all(order, many.size()));
}

BOOST_AUTO_TEST_SUITE_END()
