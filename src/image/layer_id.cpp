#include "image/layer_id.hpp"

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "util/plural.hpp"

namespace tarsier::image {

std::string layer_label(const LayerId& id, std::string_view entry) {
    std::string_view name = !id.digest.empty() ? std::string_view(id.digest)
                            : !id.diff_id.empty() ? std::string_view(id.diff_id)
                                                  : entry;
    if (name.empty()) return fmt::format("layer {}", id.position);
    return fmt::format("layer {} ({})", id.position, name);
}

std::vector<LayerId> layer_ids(const Archive& ar, const Image& img) {
    std::vector<LayerId> ids;
    ids.reserve(img.layers.size());
    for (std::size_t i = 0; i < img.layers.size(); ++i) {
        const auto& il = img.layers[i];
        LayerId id;
        id.position = i;
        id.digest = ar.layers[il.layer].digest;
        id.diff_id = il.diff_id;
        if (il.history >= 0) id.created_by = img.config.history[static_cast<std::size_t>(il.history)].created_by;
        ids.push_back(std::move(id));
    }
    return ids;
}

util::Result<std::optional<std::size_t>> select_layer(const std::vector<LayerId>& ids, std::string_view sel) {
    using Out = std::optional<std::size_t>;
    if (sel.empty()) return Out{};
    auto range = [&] {
        return ids.empty() ? std::string("the image has no layers")
                           : fmt::format("the image has {} (0 to {})", util::count(ids.size(), "layer"), ids.size() - 1);
    };
    if (sel.find_first_not_of("0123456789") == std::string_view::npos) {
        // Any number of digits: compare without converting, so that no number overflows.
        std::string_view digits = sel.substr(std::min(sel.find_first_not_of('0'), sel.size() - 1));
        std::string count = std::to_string(ids.size());
        bool below = digits.size() < count.size() || (digits.size() == count.size() && digits < count);
        if (!below)
            return util::fail(util::ErrorKind::usage, "--layer", fmt::format("no layer {}: {}", sel, range()));
        return Out(static_cast<std::size_t>(std::stoull(std::string(digits))));
    }
    std::optional<std::size_t> found;
    for (const auto& id : ids) {
        for (const std::string& d : {id.digest, id.diff_id}) {
            if (!digest::matches_prefix(sel, d)) continue;
            if (found && *found != id.position)
                return util::fail(util::ErrorKind::usage, "--layer",
                                  fmt::format("'{}' matches layers {} and {}: type more of the digest", sel, *found,
                                              id.position));
            found = id.position;
        }
    }
    if (!found)
        return util::fail(util::ErrorKind::usage, "--layer",
                          fmt::format("no layer's digest or diff_id starts with '{}' ({})", sel, range()));
    return Out(found);
}

}  // namespace tarsier::image
