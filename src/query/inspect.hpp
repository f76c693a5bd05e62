#pragma once
/// `tarsier inspect`: an image's configuration in the shape of `docker image inspect`.

#include <cstdint>
#include <optional>
#include <vector>

#include "image/model.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// One image to show, with its size when known (the sum of its layers' sizes).
struct InspectItem {
    const image::Image* image = nullptr;
    std::optional<std::uint64_t> size;
};
struct InspectReport {
    std::vector<InspectItem> items;
    std::vector<image::Finding> findings;
};
InspectReport inspect(const image::Archive& archive, const image::Image& img, const ReadOptions& read);

}  // namespace tarsier::query
