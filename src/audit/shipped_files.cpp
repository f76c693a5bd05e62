#include "audit/shipped_files.hpp"

#include <fmt/format.h>

#include "audit/entry_rules.hpp"
#include "audit/secret_names.hpp"
#include "util/sorted.hpp"

namespace tarsier::audit {

namespace {

void report(std::vector<Finding>& out, std::string_view path, std::size_t shipped_in, std::string detail) {
    bool secret = is_secret_file_name(path);
    const Rule* r = find_rule(secret ? "deleted-secret-shipped" : "deleted-file-shipped");
    Finding f;
    f.rule = std::string(r->id);
    f.severity = r->severity;
    f.layer = shipped_in;
    f.path = display_path(path);
    f.detail = std::move(detail);
    out.push_back(std::move(f));
}

}  // namespace

bool ShippedFiles::same(const Shipped& old, std::size_t layer, const archive::IndexEntry& entry) const {
    if (m_same) return m_same(old.layer, *old.entry, layer, entry);
    return old.entry->content() == entry.content();
}

void ShippedFiles::update(const fs::MergedTree& tree, const fs::LayerChanges& changes, std::size_t layer,
                          std::vector<Finding>& out) {
    // The changes come sorted by path, so each lookup starts where the one before ended:
    // `hint` in the files, `cursor` in the tree (neither goes past the change before).
    auto hint = m_files.begin();
    auto cursor = tree.nodes().begin();
    for (const auto& c : changes.changes) {
        // Every path the tree lost or rewrote is at a change or below one.
        std::string_view path = c.path();
        cursor = util::lower_bound_from(tree.nodes(), cursor, path, [](const fs::Node& n) { return n.path(); });
        const fs::Node* at_path = cursor != tree.nodes().end() && cursor->path() == path ? &*cursor : nullptr;
        auto check = [&](Files::iterator it) {
            const fs::Node* node = it->first == path ? at_path : tree.find(it->first);
            if (!node || node->entry->type != '0') {
                report(out, it->first, it->second.layer,
                       fmt::format("deleted by layer {}; layer {} still ships it", layer, it->second.layer));
                return m_files.erase(it);
            }
            if (node->layer == layer && node->layer != it->second.layer) {
                // The entry as its layer's index holds it (the tree may hold a copy).
                const archive::IndexEntry* entry = tree.origin(node->entry).entry;
                if (!same(it->second, layer, *entry)) {
                    report(out, it->first, it->second.layer,
                           fmt::format("replaced by layer {}; layer {} still ships the old content", layer, it->second.layer));
                    it->second = Shipped{layer, entry};
                }
            }
            return std::next(it);
        };
        // Where the path is or would be: its entry, and the place to insert it.
        auto at = util::lower_bound_from(m_files, hint, path, [](const auto& f) { return f.first; });
        bool known = false;
        if (at != m_files.end() && at->first == path) {
            const std::size_t before = m_files.size();
            at = check(at);
            known = m_files.size() == before;  // still shipped by the layer it names
        }
        // A path added where the tree had nothing, removing nothing below it, leaves what
        // lies below it as it was (the tree removes a subtree only where it replaces or
        // deletes a node): only other changes can have touched that.
        if (c.kind != fs::ChangeKind::added || c.removed_entries > 0) {
            m_prefix.assign(path);  // one buffer for every change: no allocation per path
            m_prefix += '/';
            const std::string_view prefix = m_prefix;
            for (auto it = m_files.lower_bound(prefix); it != m_files.end() && it->first.starts_with(prefix);) it = check(it);
            at = m_files.lower_bound(path);  // the erasures may have taken `at`
        }
        if (c.after && c.after->type == '0' && !known) {
            if (at_path && at_path->entry->type == '0')
                at = m_files.emplace_hint(at, at_path->path(), Shipped{at_path->layer, tree.origin(at_path->entry).entry});
        }
        hint = at;
    }
}

}  // namespace tarsier::audit
