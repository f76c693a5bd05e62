#pragma once
/// `export` into a regular file with each compressed layer decoded once where the layer order
/// lets it. Export writes the top layer's part first: which paths of a layer survive, and
/// where its part begins, depend only on the layers above it. So the layers are indexed from
/// the top down, each written while it is decoded and indexed, until one cannot be (a
/// surviving hardlink, an uncompressed layer, a blob indexed before): that one and the
/// layers below it are left to the plan, and read a second time after it.
///
/// What is written here is a prediction made without the lower layers (fs::UpperCover):
/// the caller keeps a layer's part only when the plan of every layer agrees with it
/// (part_agrees), and otherwise writes it again.

#include <cstdint>
#include <vector>

#include "image/model.hpp"
#include "query/merged.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// One layer's part of the export, as stream_parts wrote it.
struct StreamedPart {
    bool written = false;                 ///< written while the layer was indexed
    std::uint64_t offset = 0;             ///< where it begins in the file
    std::uint64_t size = 0;               ///< its bytes
    std::vector<std::uint32_t> ordinals;  ///< the index entries written, in tar order, one path each
};

/// Indexes layers top, top - 1, ... of `img` as plan_merged reads them (which then finds
/// them done) and writes their parts into `fd`, the top layer's at `start`, while each is
/// whole (see above). With `jobs` > 1 a layer is decoded on a thread of its own beside its
/// walk. By position; none written for a stream (read once, in its own order) or when a
/// layer's blob is missing.
std::vector<StreamedPart> stream_parts(const image::Archive& archive, const image::Image& img, std::size_t top,
                                       const ReadOptions& read, int fd, std::uint64_t start, unsigned jobs);

/// Whether the part written of layer `layer` is the one the plan gives: the same entries,
/// each feeding one path, its own, at the same place (`offset`, `size`: as measured from
/// the plan).
bool part_agrees(const StreamedPart& part, const MergedPlan& plan, std::size_t layer, std::uint64_t offset,
                 std::uint64_t size);

}  // namespace tarsier::query
