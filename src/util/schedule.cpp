#include "util/schedule.hpp"

#include <algorithm>
#include <numeric>

namespace tarsier::util {

namespace {

/// The jobs longest first (ties: lower index first).
std::vector<std::size_t> longest_first(std::span<const std::uint64_t> costs, std::vector<std::size_t> jobs) {
    std::stable_sort(jobs.begin(), jobs.end(), [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
    return jobs;
}

/// Two workers: the split whose larger side is smallest, interleaved so that the worker
/// free first takes the next job of its side.
std::vector<std::size_t> two_sides(std::span<const std::uint64_t> costs) {
    const std::size_t n = costs.size();
    const std::uint64_t total = std::accumulate(costs.begin(), costs.end(), std::uint64_t{0});
    std::uint64_t best = total + 1;
    std::uint32_t best_mask = 0;
    // The last job on side B, so that each split is tried once.
    for (std::uint32_t mask = 0; mask < (std::uint32_t{1} << (n - 1)); ++mask) {
        std::uint64_t a = 0;
        for (std::size_t j = 0; j < n; ++j)
            if (mask & (std::uint32_t{1} << j)) a += costs[j];
        const std::uint64_t larger = std::max(a, total - a);
        if (larger < best) {
            best = larger;
            best_mask = mask;
        }
    }
    std::vector<std::size_t> side_a, side_b;
    for (std::size_t j = 0; j < n; ++j) (best_mask & (std::uint32_t{1} << j) ? side_a : side_b).push_back(j);
    side_a = longest_first(costs, side_a);
    side_b = longest_first(costs, side_b);
    // The side that starts with the longer job goes first: list scheduling gives the
    // first job to one thread and the second to the other.
    if (side_a.empty() || (!side_b.empty() && costs[side_b.front()] > costs[side_a.front()])) std::swap(side_a, side_b);
    std::vector<std::size_t> order;
    std::uint64_t ta = 0, tb = 0;
    std::size_t ia = 0, ib = 0;
    while (ia < side_a.size() || ib < side_b.size()) {
        const bool take_a = ib == side_b.size() || (ia < side_a.size() && ta <= tb);
        if (take_a) {
            ta += costs[side_a[ia]];
            order.push_back(side_a[ia++]);
        } else {
            tb += costs[side_b[ib]];
            order.push_back(side_b[ib++]);
        }
    }
    return order;
}

}  // namespace

std::uint64_t makespan(std::span<const std::uint64_t> costs, std::span<const std::size_t> order, unsigned workers) {
    std::vector<std::uint64_t> free_at(std::max(1u, workers), 0);
    for (std::size_t job : order) {
        auto first = std::min_element(free_at.begin(), free_at.end());
        *first += costs[job];
    }
    return *std::max_element(free_at.begin(), free_at.end());
}

std::vector<std::size_t> schedule_order(std::span<const std::uint64_t> costs, unsigned workers) {
    std::vector<std::size_t> all(costs.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    auto order = longest_first(costs, all);
    if (workers == 2 && costs.size() > 2 && costs.size() <= kExactJobs) {
        auto split = two_sides(costs);
        if (makespan(costs, split, workers) < makespan(costs, order, workers)) order = std::move(split);
    }
    return order;
}

}  // namespace tarsier::util
