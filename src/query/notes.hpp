#pragma once
/// The findings a query hands back besides its answer: what the user should know that did
/// not stop the work (a layer that could not be read, an archive read as a bare layer,
/// index entries that are not images).

#include <vector>

#include "image/model.hpp"

namespace tarsier::query {

/// The archive's notes (how it was read: "bare-layer"; what its index holds besides
/// images: "not-images") followed by `findings`.
std::vector<image::Finding> notes_of(const image::Archive& archive, std::vector<image::Finding> findings);

}  // namespace tarsier::query
