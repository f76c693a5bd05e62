#pragma once
/// `tarsier audit`: security findings about one image, from its layers' file indexes and
/// its configuration. Each finding has a stable rule id, a severity, the layer that
/// introduced it and the path (or configuration key) it is about. The rules are listed in
/// `rules()` and documented in man/tarsier-audit.1. Nothing here prints or exits.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/layer_index.hpp"
#include "image/layer_id.hpp"
#include "image/model.hpp"
#include "oci/config.hpp"

namespace tarsier::fs {
class MergedTree;
struct LayerChanges;
}

namespace tarsier::audit {

/// How serious a finding is, lowest first (so that `>=` means "at least as serious").
enum class Severity { info, low, medium, high, critical };

/// "info", "low", "medium", "high", "critical".
std::string_view to_string(Severity s);
/// The severity named `name` (lower case, as to_string spells it); nullopt otherwise.
std::optional<Severity> parse_severity(std::string_view name);

/// A rule: its stable id, the severity of every finding it makes, and one line saying what
/// it finds.
struct Rule {
    std::string_view id;
    Severity severity = Severity::info;
    std::string_view summary;
};

/// Every rule, in the order the man page lists them.
const std::vector<Rule>& rules();
/// The rule with `id`; nullptr when there is none.
const Rule* find_rule(std::string_view id);


/// One finding. A file finding has a layer and a path; a configuration finding has neither
/// and names the configuration key instead.
struct Finding {
    std::string rule;                  ///< a Rule id
    Severity severity = Severity::info;
    std::optional<std::size_t> layer;  ///< the layer that introduced it
    std::string path;                  ///< inside the image, "/"-rooted; or the raw tar name (escaping-name)
    std::string config_key;            ///< "User", "Env/<NAME>" (configuration findings)
    std::string detail;                ///< what was seen (never the value of an environment variable)
};

/// The audit of one image.
struct Report {
    std::vector<image::LayerId> layers;   ///< every layer of the image, base first
    std::vector<Finding> findings;   ///< sorted: severity (most serious first), layer (config last), path, rule

    /// Findings of exactly this severity.
    [[nodiscard]] std::size_t count(Severity s) const;
    /// Whether any finding is at `threshold` or above.
    [[nodiscard]] bool any_at_or_above(Severity threshold) const;
};

/// Called before each layer is applied to the merged tree the audit builds, with the
/// layer's position, its index and the tree of the layers below it, so that a caller with
/// more to compute from the same tree (tarsier check's waste) need not build its own.
using BeforeLayer =
    std::function<void(std::size_t layer, const archive::LayerIndex& index, const fs::MergedTree& below)>;
/// Gives the index of layer `layer` (asked base first, each once, in order), waiting for
/// it if need be; null abandons the audit.
using IndexSource = std::function<std::shared_ptr<const archive::LayerIndex>(std::size_t layer)>;
/// Whether two regular files hold the same bytes: `a`, an entry of layer `layer_a`'s
/// index, and `b` of layer `layer_b`'s. Empty: their content digests are compared
/// (IndexEntry::content()); a caller whose indexes leave the digests of uncompressed layers
/// to be computed on demand (ScanOptions::content_on_demand) gives one that reads the bytes.
using SameContent = std::function<bool(std::size_t layer_a, const archive::IndexEntry& a, std::size_t layer_b,
                                       const archive::IndexEntry& b)>;

/// Audits an image given its layers (base first, one index each, as long as `layers`) and
/// its run configuration (null when the image has none, as a bare layer: no config rule
/// then runs, rather than one that reports what an absent config does not say).
/// `before_layer`: see BeforeLayer; `same_content`: see SameContent.
Report audit(std::vector<image::LayerId> layers, const std::vector<std::shared_ptr<const archive::LayerIndex>>& indexes,
             const oci::RunConfig* config, const BeforeLayer& before_layer = {}, SameContent same_content = {});
/// audit() with each layer's index taken from `index_of` as the audit reaches it, so that
/// it can run while the layers are still being scanned (tarsier check); nullopt when
/// `index_of` abandons it.
std::optional<Report> audit_from(std::vector<image::LayerId> layers, const IndexSource& index_of,
                                 const oci::RunConfig* config, const BeforeLayer& before_layer = {},
                                 SameContent same_content = {});

class ShippedFiles;

/// The audit taken one layer at a time over a merged tree that the caller builds, for a
/// caller with more to compute from the same tree (tarsier report: changes, waste and
/// packages too). audit() is this with a tree of its own.
class LayerAuditor {
public:
    /// `layers`: every layer of the image, base first; `same_content`: see SameContent.
    explicit LayerAuditor(std::vector<image::LayerId> layers, SameContent same_content = {});
    ~LayerAuditor();
    LayerAuditor(const LayerAuditor&) = delete;
    LayerAuditor& operator=(const LayerAuditor&) = delete;
    /// Audits layer `layer` (base first, each once, in order) just after the caller applied
    /// it: `changes` is what `tree.apply(index, layer)` returned.
    void add_layer(const archive::LayerIndex& index, std::size_t layer, const fs::LayerChanges& changes,
                   const fs::MergedTree& tree);
    /// The report, with the final image's rules run on `tree` (every layer applied) and
    /// the run configuration's (`config` null: none, as in audit()); the auditor is spent.
    Report finish(const fs::MergedTree& tree, const oci::RunConfig* config);

private:
    Report m_rep;
    std::unique_ptr<ShippedFiles> m_shipped;
    /// Regular files with a secret's name that a layer wrote (views into the tree's
    /// entries, sorted): finish() reports those the final tree still holds.
    std::vector<std::string_view> m_secret_names;
};

/// Sorts findings in Report order.
void sort_findings(std::vector<Finding>& findings);

}  // namespace tarsier::audit
