#include "verify/check.hpp"

#include <algorithm>
#include <utility>

namespace tarsier::verify {

std::string_view to_string(Verdict v) {
    switch (v) {
        case Verdict::pass: return "pass";
        case Verdict::fail: return "fail";
        case Verdict::warn: return "warn";
        case Verdict::unverifiable: return "unverifiable";
        case Verdict::absent_by_design: return "absent";
    }
    return "fail";
}

std::string_view check_summary(std::string_view id) {
    static constexpr std::pair<std::string_view, std::string_view> kSummaries[] = {
        {"blob-digest", "a blob hashes to the digest that names it"},
        {"blob-name", "a blob's name is blobs/<algorithm>/<encoded>"},
        {"blob-present", "a referenced blob is in the archive"},
        {"blob-readable", "a blob can be read to its end"},
        {"config-digest", "a config hashes to the image ID it is named after"},
        {"descriptor-data", "a descriptor's embedded data is the blob's bytes"},
        {"descriptor-digest", "a descriptor's digest is algorithm:encoded"},
        {"descriptor-size", "a descriptor's size is the blob's size"},
        {"document", "a manifest or index is valid JSON of the right shape"},
        {"documents", "manifest.json, index.json and the configs can be read"},
        {"duplicate-entry", "no two archive entries have the same name"},
        {"entry-escapes-root", "no entry name or link leaves the archive"},
        {"index-agreement", "manifest.json and index.json describe the same layers"},
        {"layer-count", "as many layers as rootfs.diff_ids"},
        {"layer-decode", "a layer decodes to a tar"},
        {"layer-diff-id", "a decoded layer hashes to its diff_id"},
        {"layer-present", "every layer of an image is in the archive"},
        {"media-type", "a layer's media type declares its real compression"},
        {"oci-layout", "oci-layout declares version 1.0.0"},
        {"repositories", "every repositories tag names an image"},
        {"unreferenced-blob", "every blob is referred to"},
    };
    for (const auto& [k, v] : kSummaries)
        if (k == id) return v;
    return "a fact of the archive's structure (see tarsier-verify(1))";
}

std::size_t Report::count(Verdict v) const {
    return static_cast<std::size_t>(std::count_if(checks.begin(), checks.end(), [v](const Check& c) { return c.verdict == v; }));
}

bool Report::ok() const { return count(Verdict::fail) == 0 && (!strict || count(Verdict::warn) == 0); }

}  // namespace tarsier::verify
