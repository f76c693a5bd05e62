#include "query/waste.hpp"

#include <fmt/format.h>

#include "query/changes.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"
#include "util/plural.hpp"

namespace tarsier::query {

util::Result<void> check_waste_options(const WasteOptions& o) {
    auto fraction = [](const std::optional<double>& v, const char* option) -> util::Result<void> {
        if (v && !(*v >= 0.0 && *v <= 1.0))
            return util::fail(util::ErrorKind::usage, option, fmt::format("{} is not a fraction from 0 to 1", *v));
        return {};
    };
    if (auto r = fraction(o.lowest_efficiency, "--lowest-efficiency"); !r) return r;
    return fraction(o.highest_user_wasted, "--highest-user-wasted-percent");
}

util::Result<WasteResult> waste(const image::Archive& ar, const image::Image& img, const WasteOptions& o) {
    if (auto ok = check_waste_options(o); !ok) return ok.failure();
    auto layers = read_layers(ar, img, o.read, kFilesNeeds);
    auto indexes = layer_indexes(ar, img, layers);
    if (!indexes) return indexes.failure();
    WasteResult out;
    out.report = fs::compute_waste(*indexes, o.dive_compatible);
    const auto& rep = out.report;
    if (o.lowest_efficiency && rep.efficiency < *o.lowest_efficiency)
        out.violations.push_back(
            fmt::format("lowest-efficiency: efficiency {:.4f} is below {}", rep.efficiency, *o.lowest_efficiency));
    if (o.highest_wasted_bytes && rep.wasted_bytes > *o.highest_wasted_bytes)
        out.violations.push_back(fmt::format("highest-wasted-bytes: {} wasted, more than {}", util::count(rep.wasted_bytes, "byte"),
                                             *o.highest_wasted_bytes));
    if (o.highest_user_wasted && rep.user_wasted_fraction > *o.highest_user_wasted)
        out.violations.push_back(fmt::format("highest-user-wasted-percent: {:.4f} of the user layers is wasted, more than {}",
                                             rep.user_wasted_fraction, *o.highest_user_wasted));
    out.findings = notes_of(ar, std::move(layers.findings));
    return out;
}

}  // namespace tarsier::query
