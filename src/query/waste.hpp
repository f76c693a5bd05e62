#pragma once
/// `tarsier waste`: wasted space (files written by several layers) and dive's CI rules.

#include <optional>
#include <string>
#include <vector>

#include "fs/waste.hpp"
#include "image/model.hpp"
#include "query/read.hpp"

namespace tarsier::query {

struct WasteOptions {
    bool dive_compatible = false;                 ///< count every copy of a duplicated file, as dive does
    std::optional<double> lowest_efficiency;      ///< a rule: fail below this (0..1)
    std::optional<std::uint64_t> highest_wasted_bytes;
    std::optional<double> highest_user_wasted;    ///< a rule: fail above this fraction (0..1)
    ReadOptions read;
};
/// Checks the rules' values as policy::check_waste_rules does (a fraction outside 0..1, a
/// threshold that can never fire): a usage error naming the option.
util::Result<void> check_waste_options(const WasteOptions& options);

struct WasteResult {
    fs::WasteReport report;
    std::vector<std::string> violations;  ///< one line per rule that failed
    std::vector<image::Finding> findings;
};
util::Result<WasteResult> waste(const image::Archive& archive, const image::Image& img, const WasteOptions& options);

}  // namespace tarsier::query
