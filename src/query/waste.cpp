#include "query/waste.hpp"

#include <fmt/format.h>

#include "query/changes.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"
#include "query/waste_rules.hpp"

namespace tarsier::query {

namespace {

policy::WasteRules rules_of(const WasteOptions& o) {
    policy::WasteRules r;
    r.lowest_efficiency = o.lowest_efficiency;
    r.highest_wasted_bytes = o.highest_wasted_bytes;
    r.highest_user_wasted = o.highest_user_wasted;
    r.dive_compatible = o.dive_compatible;
    return r;
}

}  // namespace

util::Result<void> check_waste_options(const WasteOptions& o) {
    // One option at a time, so that the error names the option.
    policy::WasteRules one;
    one.lowest_efficiency = o.lowest_efficiency;
    if (auto r = policy::check_waste_rules(one, "--lowest-efficiency"); !r) return r;
    one = {};
    one.highest_user_wasted = o.highest_user_wasted;
    if (auto r = policy::check_waste_rules(one, "--highest-user-wasted-percent"); !r) return r;
    one = {};
    one.highest_wasted_bytes = o.highest_wasted_bytes;
    return policy::check_waste_rules(one, "--highest-wasted-bytes");
}

util::Result<WasteResult> waste(const image::Archive& ar, const image::Image& img, const WasteOptions& o) {
    if (auto ok = check_waste_options(o); !ok) return ok.failure();
    auto layers = read_layers(ar, img, o.read, kFilesNeeds);
    auto indexes = layer_indexes(ar, img, layers);
    if (!indexes) return indexes.failure();
    WasteResult out;
    out.report = fs::compute_waste(*indexes, o.dive_compatible);
    const auto& rep = out.report;
    out.violations = violation_lines(evaluate_waste_rules(rep, rules_of(o)));
    out.findings = notes_of(ar, std::move(layers.findings));
    return out;
}

}  // namespace tarsier::query
