#include "pkg/root_view.hpp"

#include <deque>

namespace tarsier::pkg {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

/// `path` is a direct child of `dir` ("dir/name", name without '/').
bool child_of(std::string_view path, std::string_view dir) {
    if (path.size() <= dir.size() + 1 || !starts_with(path, dir) || path[dir.size()] != '/') return false;
    return path.find('/', dir.size() + 1) == std::string_view::npos;
}

void push_components(std::deque<std::string>& pending, std::string_view path) {
    std::deque<std::string> parts;
    std::size_t i = 0;
    while (i <= path.size()) {
        const auto slash = path.find('/', i);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        if (end > i) parts.emplace_back(path.substr(i, end - i));
        if (slash == std::string_view::npos) break;
        i = slash + 1;
    }
    pending.insert(pending.begin(), parts.begin(), parts.end());
}

}  // namespace

std::shared_ptr<const std::string> RootView::shared_bytes(std::string_view path) const {
    auto bytes = read(path);
    if (!bytes) return nullptr;
    return std::make_shared<const std::string>(std::move(*bytes));
}

bool wanted(std::string_view path) {
    if (path == "etc/os-release" || path == "usr/lib/os-release") return true;
    if (path == "var/lib/dpkg/status") return true;
    if (child_of(path, "var/lib/dpkg/status.d")) return true;
    if (child_of(path, "var/lib/dpkg/info") && (ends_with(path, ".list") || ends_with(path, ".md5sums"))) return true;
    if (path == "lib/apk/db/installed" || path == "usr/lib/apk/db/installed") return true;
    for (std::string_view dir : {"var/lib/rpm", "usr/lib/sysimage/rpm"}) {
        if (!child_of(path, dir)) continue;
        const auto name = path.substr(dir.size() + 1);
        if (name == "rpmdb.sqlite" || name == "Packages.db" || name == "Packages") return true;
    }
    return false;
}

bool wanted_for_listing(std::string_view path) {
    if (child_of(path, "var/lib/dpkg/info") && ends_with(path, ".md5sums")) return false;
    return wanted(path);
}

std::optional<std::string> resolve(const RootView& root, std::string_view path) {
    constexpr int kMaxLinks = 40;
    std::deque<std::string> pending;
    push_components(pending, path);
    std::string current;  // the resolved prefix, "" for the root
    int links = 0;
    while (!pending.empty()) {
        const std::string part = std::move(pending.front());
        pending.pop_front();
        if (part == ".") continue;
        if (part == "..") {
            // The root's parent is the root, as in the container.
            const auto slash = current.rfind('/');
            current.erase(slash == std::string::npos ? 0 : slash);
            continue;
        }
        std::string candidate = current.empty() ? part : current + "/" + part;
        const Kind kind = root.kind(candidate);
        if (kind == Kind::symlink) {
            if (++links > kMaxLinks) return std::nullopt;
            const std::string target = root.link(candidate);
            if (target.empty()) return std::nullopt;
            if (target.front() == '/') current.clear();
            push_components(pending, target);
            continue;
        }
        if (kind == Kind::none) return std::nullopt;
        // Only a directory can have something below it.
        if (!pending.empty() && kind != Kind::directory) return std::nullopt;
        current = std::move(candidate);
    }
    return current;
}

}  // namespace tarsier::pkg
