// A bare layer tar: what docker save stores as <id>/layer.tar, or a .tar.gz / .tar.zst
// layer blob, given on its own. It has no manifest.json, index.json or repositories, only
// the files of one layer; it is read as an image of that one layer with no config.
#include <fmt/format.h>

#include "image/resolver.hpp"

namespace tarsier::image::detail {

using util::ErrorKind;
using util::fail;
using util::Result;

Result<void> resolve_bare_layer(Resolver& r) {
    Archive& ar = r.archive();
    const auto& c = *ar.container;
    std::size_t files = 0;
    for (const auto& e : c.entries())
        if (e.type != archive::EntryType::other) ++files;
    const archive::Entry* whole = c.whole_input();
    if (files == 0 || !whole) {
        std::string why = "not an image archive (no manifest.json, index.json or repositories)";
        if (files > 0 && c.packaging() == archive::Packaging::tar_stream)
            why += "; a layer tar read from a pipe cannot be read again as a single layer: name the file";
        return fail(ErrorKind::not_image, "", why);
    }
    ar.format = ArchiveFormat::bare_layer;
    Layer layer;
    layer.entry = whole->name;
    std::size_t index = r.add_layer(std::move(layer));
    Image img;
    // No config: no ID (a diff_id would need the whole layer read), no history, no platform.
    img.layers.push_back(ImageLayer{index, "", -1});
    img.source = "bare layer";
    ar.images.push_back(std::move(img));
    r.finding("info", "bare-layer", "",
              fmt::format("read as a single layer with no config: the archive has no manifest.json, index.json or "
                          "repositories, only {} file entries",
                          files));
    return {};
}

}  // namespace tarsier::image::detail
