#include "audit/entry_rules.hpp"

#include <set>
#include <string>

#include <fmt/format.h>

#include "util/path.hpp"

namespace tarsier::audit {

namespace {

constexpr std::uint32_t kSetuid = 04000, kSetgid = 02000, kSticky = 01000, kOtherWrite = 0002;

void add(std::vector<Finding>& out, std::string_view rule, std::size_t layer, std::string path, std::string detail) {
    const Rule* r = find_rule(rule);
    Finding f;
    f.rule = std::string(rule);
    f.severity = r ? r->severity : Severity::info;
    f.layer = layer;
    f.path = std::move(path);
    f.detail = std::move(detail);
    out.push_back(std::move(f));
}

std::string mode_text(std::uint32_t mode) { return fmt::format("mode {:04o}", mode & 07777); }

std::string owner_text(const archive::IndexEntry& e) { return fmt::format("uid {} gid {}", e.uid, e.gid); }

}  // namespace

std::string display_path(std::string_view path) {
    std::string out(1, '/');
    out += path;
    return out;
}

bool symlink_escapes_root(std::string_view path, std::string_view target) {
    if (target.starts_with('/')) return !util::clean_path_in_root(target);
    // A relative target starts in the link's directory.
    const auto slash = path.rfind('/');
    if (slash == std::string_view::npos) return !util::clean_path_in_root(target);
    std::string joined(path.substr(0, slash + 1));
    joined += target;
    return !util::clean_path_in_root(joined);
}

void check_layer_entries(const archive::LayerIndex& index, const fs::LayerChanges& changes, const fs::MergedTree& tree,
                         std::size_t layer, std::vector<Finding>& out) {
    for (const auto& name : index.escaping_names)
        add(out, "escaping-name", layer, name, "tar name leaves the root; left out of the merged filesystem");

    // Hardlinks whose target name leaves the root: the index keeps such a target as stored.
    std::set<std::string> escaping_links;
    for (const auto& e : index.entries) {
        if (e.type != '1' || util::clean_path_in_root(e.link())) continue;
        escaping_links.insert(std::string(e.path()));
        add(out, "hardlink-escapes-root", layer, display_path(e.path()), "hardlink to " + std::string(e.link()));
    }

    for (const auto& c : changes.changes) {
        if (!c.after) continue;  // deleted
        const archive::IndexEntry& e = *c.after;
        const auto path = [&c] { return display_path(c.path()); };  // made only for a finding
        bool dir = e.type == '5';
        bool links = e.type == '1' || e.type == '2';
        if (!dir && !links && (e.mode & kSetuid))
            add(out, "setuid-file", layer, path(), fmt::format("{}, {}", mode_text(e.mode), owner_text(e)));
        if (!dir && !links && (e.mode & kSetgid))
            add(out, "setgid-file", layer, path(), fmt::format("{}, {}", mode_text(e.mode), owner_text(e)));
        if (e.type == '0' && (e.mode & kOtherWrite))
            add(out, "world-writable-file", layer, path(), mode_text(e.mode));
        if (dir && (e.mode & kOtherWrite) && !(e.mode & kSticky))
            add(out, "world-writable-dir", layer, path(), mode_text(e.mode) + ", no sticky bit");
        if (e.type == '3' || e.type == '4')
            add(out, "device-node", layer, path(),
                fmt::format("{} device {},{}{}", e.type == '3' ? "character" : "block", e.dev_major, e.dev_minor,
                            e.type == '3' && e.dev_major == 0 && e.dev_minor == 0 ? " (the overlayfs form of a whiteout)" : ""));
        if (e.type == '2' && symlink_escapes_root(c.path(), e.link()))
            add(out, "symlink-escapes-root", layer, path(), "symlink to " + std::string(e.link()));
        if (e.type == '1' && !escaping_links.count(std::string(c.path())) && !e.link().starts_with(".wh..wh.plnk/") &&
            !tree.find(e.link()))
            add(out, "hardlink-missing-target", layer, path(),
                "hardlink to /" + std::string(e.link()) + ", which no layer up to this one holds");
    }
}

}  // namespace tarsier::audit
