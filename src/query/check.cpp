#include "query/check.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "image/layer_id.hpp"
#include "query/audit.hpp"
#include "query/changes.hpp"
#include "query/content_on_demand.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"
#include "query/waste_rules.hpp"
#include "verify/verify.hpp"

namespace tarsier::query {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t day_of(std::int64_t unix_seconds) {
    return unix_seconds >= 0 ? unix_seconds / kSecondsPerDay : -((-unix_seconds + kSecondsPerDay - 1) / kSecondsPerDay);
}

verify::VerifyOptions verify_options(const CheckOptions& o) {
    verify::VerifyOptions vo;
    vo.jobs = job_count(o.read);
    vo.strict = o.policy.verify_strict;
    vo.platform = o.read.platform;
    vo.platform_explicit = o.read.platform_explicit;
    vo.max_layer_size = o.max_layer_size;
    vo.max_ratio = o.max_ratio;
    // The audit and the waste need each layer's file index: built in verify's scan, so
    // that read_layers below finds every layer scanned already (Container::blob_stats).
    vo.file_index = o.read.content_digest;
    vo.content_on_demand = true;  // the audit reads again the few files it compares
    vo.max_index_entries = o.read.max_entries;
    return vo;
}

/// The audit and the waste of the chosen image, built layer by layer while verify still
/// scans the blobs (VerifyOptions::alongside), from the file index each scan leaves in the
/// container's cache. Abandoned (no audit) as soon as a layer is absent, unreadable or not
/// indexed: check then builds them after verify, as it does without this.
struct Overlap {
    const image::Image* image = nullptr;  ///< the image they are of
    std::vector<std::shared_ptr<const archive::LayerIndex>> indexes;  ///< what they were built from
    std::optional<audit::Report> audit;
    std::optional<fs::WasteReport> waste;
};

/// The audit and the waste of `img`, as check computes them, each index taken from
/// `index_of` (nullopt audit when it abandons), which puts it in `indexes` too.
void audit_and_waste(const image::Archive& ar, const image::Image& img, std::vector<image::LayerId> ids,
                     const audit::IndexSource& index_of, const std::vector<std::shared_ptr<const archive::LayerIndex>>& indexes,
                     const ReadOptions& read, bool dive_compatible, std::optional<audit::Report>& audit_out,
                     std::optional<fs::WasteReport>& waste_out) {
    // One merged tree for both: the waste counts each layer off the audit's tree of the
    // layers below it, before the audit applies that layer.
    fs::WasteCounter waste(dive_compatible);
    auto count_waste = [&](std::size_t i, const archive::LayerIndex& index, const fs::MergedTree& below) {
        waste.add_layer(index, i, below);
    };
    const bool has_config = ar.format != image::ArchiveFormat::bare_layer;
    ContentOnDemand contents(ar, img, read.content_digest, indexes);
    audit_out = audit::audit_from(std::move(ids), index_of, has_config ? &img.config.config : nullptr, count_waste,
                                  contents.comparator());
    if (audit_out) waste_out = waste.finish();
}

/// VerifyOptions::alongside for check: chooses the image and awaits each layer's scan, base
/// first, with what verify's scan of a layer holds (the tar walk and the file index).
std::function<void(const image::Archive&)> build_alongside(const std::string& selector, const CheckOptions& o, Overlap& out) {
    return [&selector, &o, &out](const image::Archive& ar) {
        auto img = choose_image(ar, selector);
        if (!img) return;
        archive::ScanOptions want;
        want.walk_tar = true;
        want.index = o.read.content_digest;
        want.content_on_demand = true;
        auto index_of = [&](std::size_t i) {
            auto index = await_layer_index(ar, **img, i, want);
            if (index) out.indexes.push_back(index);
            return index;
        };
        audit_and_waste(ar, **img, image::layer_ids(ar, **img), index_of, out.indexes, o.read, o.policy.waste.dive_compatible,
                        out.audit, out.waste);
        if (out.audit) out.image = *img;
    };
}

RuleOutcome& outcome(std::vector<RuleOutcome>& rules, RuleGroup g, std::string_view id, std::string_view summary) {
    for (auto& r : rules)
        if (r.group == g && r.id == id) return r;
    RuleOutcome r;
    r.group = g;
    r.id = std::string(id);
    r.summary = std::string(summary);
    rules.push_back(std::move(r));
    return rules.back();
}

void verify_violations(CheckReport& rep, const policy::Policy& p) {
    for (const auto& c : rep.verify.checks) {
        outcome(rep.rules, RuleGroup::verify, c.id, verify::check_summary(c.id));
        if (c.verdict != verify::Verdict::fail && c.verdict != verify::Verdict::warn) continue;
        Violation v;
        v.group = RuleGroup::verify;
        v.rule = c.id;
        v.path = c.subject;
        const bool listed = std::find(p.verify_errors.begin(), p.verify_errors.end(), c.id) != p.verify_errors.end();
        v.error = c.verdict == verify::Verdict::fail || p.verify_strict || listed;
        v.severity = v.error ? "error" : "warning";
        v.message = c.message;
        if (!c.expected.empty() || !c.actual.empty()) {
            std::string ea = fmt::format("expected {}, found {}", c.expected.empty() ? "-" : c.expected, c.actual.empty() ? "-" : c.actual);
            v.message = v.message.empty() ? ea : v.message + " (" + ea + ")";
        }
        rep.violations.push_back(std::move(v));
    }
}

void audit_violations(CheckReport& rep) {
    for (const auto& r : audit::rules()) outcome(rep.rules, RuleGroup::audit, r.id, r.summary);
    for (const auto& f : rep.audit->findings) {
        Violation v;
        v.group = RuleGroup::audit;
        v.rule = f.rule;
        v.severity = std::string(audit::to_string(f.severity));
        v.path = f.layer ? f.path : f.config_key;
        v.layer = f.layer;
        v.message = f.detail;
        v.error = rep.fail_on && f.severity >= *rep.fail_on;
        rep.violations.push_back(std::move(v));
    }
}

void waste_violations(CheckReport& rep) {
    for (const auto& r : evaluate_waste_rules(*rep.waste, rep.waste_rules)) {
        auto& o = outcome(rep.rules, RuleGroup::waste, r.id, r.summary);
        o.enabled = r.enabled;
        if (r.passed) continue;
        Violation v;
        v.group = RuleGroup::waste;
        v.rule = std::string(r.id);
        v.severity = "error";
        v.message = r.message;
        v.error = true;
        rep.violations.push_back(std::move(v));
    }
}

bool ignore_matches(const policy::Ignore& ig, const Violation& v) {
    if (ig.rule != v.rule) return false;
    if (ig.path.empty()) return true;
    std::string_view path = v.path;
    if (path.starts_with('/')) path.remove_prefix(1);
    return path_matches(path, ig.path);
}

/// Applies the suppressions: the first unexpired one that matches suppresses; an expired
/// one that matches is counted and suppresses nothing.
void apply_ignores(CheckReport& rep, const policy::Policy& p, std::int64_t now) {
    const std::int64_t today = day_of(now);
    for (const auto& ig : p.ignores) {
        SuppressionUse u;
        u.ignore = ig;
        u.expired = ig.expires && today >= ig.expires->days;
        rep.suppressions.push_back(std::move(u));
    }
    for (auto& v : rep.violations) {
        for (std::size_t i = 0; i < rep.suppressions.size(); ++i) {
            auto& u = rep.suppressions[i];
            if (!ignore_matches(u.ignore, v)) continue;
            ++u.matched;
            if (u.expired) continue;
            v.suppressed_by = i;
            break;
        }
    }
    for (const auto& u : rep.suppressions) {
        if (!u.expired) continue;
        auto& o = outcome(rep.rules, RuleGroup::policy, "suppression-expired", "a suppression of the policy is past its date");
        (void)o;
        Violation v;
        v.group = RuleGroup::policy;
        v.rule = "suppression-expired";
        v.severity = "warning";
        v.path = u.ignore.where;
        v.message = fmt::format("the suppression of {}{} expired on {} and suppresses nothing ({})", u.ignore.rule,
                                u.ignore.path.empty() ? "" : " " + u.ignore.path, u.ignore.expires->text, u.ignore.reason);
        rep.violations.push_back(std::move(v));
    }
}

void tally(CheckReport& rep) {
    for (const auto& v : rep.violations) {
        auto& o = outcome(rep.rules, v.group, v.rule, "");
        if (v.suppressed_by) ++o.suppressed;
        else if (v.error) ++o.errors;
        else ++o.warnings;
    }
    std::stable_sort(rep.rules.begin(), rep.rules.end(), [](const RuleOutcome& a, const RuleOutcome& b) {
        return a.group != b.group ? a.group < b.group : a.id < b.id;
    });
}

}  // namespace

std::string_view to_string(RuleGroup g) {
    switch (g) {
        case RuleGroup::verify: return "verify";
        case RuleGroup::audit: return "audit";
        case RuleGroup::waste: return "waste";
        case RuleGroup::policy: return "policy";
    }
    return "verify";
}

bool CheckReport::passed() const {
    return std::none_of(violations.begin(), violations.end(), [](const Violation& v) { return v.error && !v.suppressed_by; });
}

util::Result<CheckReport> check(const std::string& path, const std::string& selector, const CheckOptions& o) {
    Overlap overlap;
    verify::VerifyOptions vo = verify_options(o);
    vo.alongside = build_alongside(selector, o, overlap);
    auto verified = verify::verify_and_keep(path, vo);
    if (!verified) return verified.failure();
    CheckReport rep;
    rep.archive = path;
    rep.policy_source = o.policy.source;
    rep.fail_on = o.policy.audit_fail_on;
    rep.waste_rules = o.policy.waste;
    rep.verify = std::move(verified->report);
    if (verified->archive) {
        const image::Archive& ar = *verified->archive;
        auto img = choose_image(ar, selector);
        if (!img) return img.failure();
        rep.image_id = (*img)->id;
        auto layers = read_layers(ar, **img, o.read, kAuditNeeds);  // as the audit reads them
        auto indexes = layer_indexes(ar, **img, layers);
        rep.findings = notes_of(ar, std::move(layers.findings));
        // A layer that cannot be read fails verify already; the audit and the waste, which
        // need every layer, are then left out (the report says so).
        if (indexes && overlap.audit && overlap.image == *img && overlap.indexes == *indexes) {
            // Built while verify scanned, from these very indexes (the same objects); the
            // layer identities are read_layers', which fills in digests the model lacks.
            rep.audit = std::move(overlap.audit);
            rep.audit->layers = std::move(layers.ids);
            rep.waste = std::move(overlap.waste);
        } else if (indexes) {
            audit_and_waste(ar, **img, layers.ids, [&](std::size_t i) { return (*indexes)[i]; }, *indexes, o.read,
                            o.policy.waste.dive_compatible, rep.audit, rep.waste);
        }
    }
    verify_violations(rep, o.policy);
    if (rep.audit) audit_violations(rep);
    if (rep.waste) waste_violations(rep);
    apply_ignores(rep, o.policy, o.now);
    tally(rep);
    return rep;
}

}  // namespace tarsier::query
