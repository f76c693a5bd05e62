#include "query/inspect.hpp"

#include "query/image_layers.hpp"
#include "query/notes.hpp"

namespace tarsier::query {

InspectReport inspect(const image::Archive& ar, const image::Image& img, const ReadOptions& read) {
    InspectReport rep;
    auto layers = read_layers(ar, img, read, {});
    rep.items.push_back({&img, image_size(layer_sizes(layers))});
    rep.findings = notes_of(ar, std::move(layers.findings));
    return rep;
}

}  // namespace tarsier::query
