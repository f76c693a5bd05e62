#pragma once
/// `tarsier audit`: security findings of an image.

#include <optional>
#include <vector>

#include "audit/audit.hpp"
#include "image/model.hpp"
#include "query/read.hpp"

namespace tarsier::query {

/// What the audit reads of each layer: its file index, the contents of uncompressed layers
/// left to be compared on demand (query::ContentOnDemand).
inline constexpr Needs kAuditNeeds{.files = true, .estimate_gzip = false, .digests = true, .content_on_demand = true};

struct AuditResult {
    audit::Report report;
    std::vector<image::Finding> findings;  ///< notes about reading, not audit findings
};
/// Audits `img`: every layer's files and its run configuration; layers carry both digests.
util::Result<AuditResult> audit_image(const image::Archive& archive, const image::Image& img, const ReadOptions& read);

}  // namespace tarsier::query
