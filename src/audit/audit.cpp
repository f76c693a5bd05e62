#include "audit/audit.hpp"

#include <algorithm>
#include <tuple>

#include "audit/config_rules.hpp"
#include "audit/entry_rules.hpp"
#include "audit/secret_names.hpp"
#include "audit/shipped_files.hpp"
#include "fs/tree.hpp"

namespace tarsier::audit {

std::string_view to_string(Severity s) {
    switch (s) {
        case Severity::info: return "info";
        case Severity::low: return "low";
        case Severity::medium: return "medium";
        case Severity::high: return "high";
        case Severity::critical: return "critical";
    }
    return "info";
}

std::optional<Severity> parse_severity(std::string_view name) {
    for (Severity s : {Severity::info, Severity::low, Severity::medium, Severity::high, Severity::critical})
        if (to_string(s) == name) return s;
    return std::nullopt;
}

const std::vector<Rule>& rules() {
    static const std::vector<Rule> kRules = {
        {"deleted-secret-shipped", Severity::critical,
         "a secret-looking file deleted or replaced by a later layer is still shipped in a lower layer"},
        {"escaping-name", Severity::high, "a tar entry name that climbs above the root with '..'"},
        {"symlink-escapes-root", Severity::high, "a symlink whose target climbs above the root with '..'"},
        {"hardlink-escapes-root", Severity::high, "a hardlink whose target name climbs above the root with '..'"},
        {"secret-env", Severity::high, "an environment variable of the config whose name looks like a secret"},
        {"setuid-file", Severity::medium, "a file with the set-user-ID bit"},
        {"world-writable-file", Severity::medium, "a regular file that anyone may write"},
        {"world-writable-dir", Severity::medium, "a directory that anyone may write, without the sticky bit"},
        {"device-node", Severity::medium, "a character or block device node"},
        {"secret-file", Severity::medium, "a secret-looking file in the final image"},
        {"runs-as-root", Severity::medium, "the config runs the container as root (User empty, 0 or root)"},
        {"setgid-file", Severity::low, "a file with the set-group-ID bit"},
        {"hardlink-missing-target", Severity::low, "a hardlink to a path that no layer up to its own holds"},
        {"deleted-file-shipped", Severity::low, "a file deleted or replaced by a later layer is still shipped in a lower layer"},
    };
    return kRules;
}

const Rule* find_rule(std::string_view id) {
    for (const auto& r : rules())
        if (r.id == id) return &r;
    return nullptr;
}

std::size_t Report::count(Severity s) const {
    return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(), [s](const Finding& f) { return f.severity == s; }));
}

bool Report::any_at_or_above(Severity threshold) const {
    return std::any_of(findings.begin(), findings.end(), [threshold](const Finding& f) { return f.severity >= threshold; });
}

void sort_findings(std::vector<Finding>& findings) {
    auto key = [](const Finding& f) {
        // Most serious first; configuration findings (no layer) after every layer.
        return std::make_tuple(-static_cast<int>(f.severity), f.layer ? *f.layer : SIZE_MAX, std::cref(f.path),
                               std::cref(f.config_key), std::cref(f.rule), std::cref(f.detail));
    };
    std::stable_sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
}

LayerAuditor::LayerAuditor(std::vector<image::LayerId> layers, SameContent same_content)
    : m_shipped(std::make_unique<ShippedFiles>(std::move(same_content))) {
    m_rep.layers = std::move(layers);
}

LayerAuditor::~LayerAuditor() = default;

void LayerAuditor::add_layer(const archive::LayerIndex& index, std::size_t layer, const fs::LayerChanges& changes,
                             const fs::MergedTree& tree) {
    check_layer_entries(index, changes, tree, layer, m_rep.findings);
    m_shipped->update(tree, changes, layer, m_rep.findings);
    // Every regular file of the final tree was written by some layer: its change names it.
    for (const auto& c : changes.changes)
        if (c.after && c.after->type == '0' && is_secret_file_name(c.path())) m_secret_names.push_back(c.path());
}

Report LayerAuditor::finish(const fs::MergedTree& tree, const oci::RunConfig* config) {
    const Rule* secret_file = find_rule("secret-file");
    std::sort(m_secret_names.begin(), m_secret_names.end());
    m_secret_names.erase(std::unique(m_secret_names.begin(), m_secret_names.end()), m_secret_names.end());
    for (std::string_view path : m_secret_names) {
        const fs::Node* node = tree.find(path);
        if (!node || node->entry->type != '0') continue;
        Finding f;
        f.rule = std::string(secret_file->id);
        f.severity = secret_file->severity;
        f.layer = node->layer;
        f.path = display_path(path);
        f.detail = "in the final image";
        m_rep.findings.push_back(std::move(f));
    }
    if (config) check_config(*config, m_rep.findings);
    sort_findings(m_rep.findings);
    return std::move(m_rep);
}

namespace {

/// The audit of `count` layers, each index from `index_of`; nullopt when it abandons.
std::optional<Report> audit_layers(LayerAuditor& auditor, std::size_t count, const IndexSource& index_of,
                                   const oci::RunConfig* config, const BeforeLayer& before_layer) {
    fs::MergedTree tree;
    for (std::size_t i = 0; i < count; ++i) {
        std::shared_ptr<const archive::LayerIndex> index = index_of(i);
        if (!index) return std::nullopt;
        if (before_layer) before_layer(i, *index, tree);
        auto changes = tree.apply(index, i);
        auditor.add_layer(*index, i, changes, tree);
    }
    return auditor.finish(tree, config);
}

}  // namespace

std::optional<Report> audit_from(std::vector<image::LayerId> layers, const IndexSource& index_of,
                                 const oci::RunConfig* config, const BeforeLayer& before_layer, SameContent same_content) {
    const std::size_t count = layers.size();
    LayerAuditor auditor(std::move(layers), std::move(same_content));
    return audit_layers(auditor, count, index_of, config, before_layer);
}

Report audit(std::vector<image::LayerId> layers, const std::vector<std::shared_ptr<const archive::LayerIndex>>& indexes,
             const oci::RunConfig* config, const BeforeLayer& before_layer, SameContent same_content) {
    LayerAuditor auditor(std::move(layers), std::move(same_content));
    return *audit_layers(auditor, indexes.size(), [&](std::size_t i) { return indexes[i]; }, config, before_layer);
}

}  // namespace tarsier::audit
