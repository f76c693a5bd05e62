#pragma once
/// The order in which threads that each take the next job when they are free (list
/// scheduling) should find jobs of known costs, so that the last one ends early.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tarsier::util {

/// An order of the jobs (indexes into `costs`) for `workers` threads. For two workers and
/// at most kExactJobs jobs: the split of the jobs in two whose larger total is smallest,
/// laid out so that each thread, taking the next job when free, does one side (each side
/// longest first). Otherwise, and when that is no better: the longest first. Ties keep
/// the lower index first.
std::vector<std::size_t> schedule_order(std::span<const std::uint64_t> costs, unsigned workers);

/// When the last job of `order` ends, each of `workers` threads taking the next job when
/// free, with each job taking its cost.
std::uint64_t makespan(std::span<const std::uint64_t> costs, std::span<const std::size_t> order, unsigned workers);

inline constexpr std::size_t kExactJobs = 16;

}  // namespace tarsier::util
