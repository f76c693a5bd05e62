#pragma once
/// RootViews for the package reader tests: MemoryRoot (paths given in the test) and
/// DirRoot (a directory on disk, symlinks read with lstat/readlink, never followed out).

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>

#include "pkg/package.hpp"
#include "pkg/root_view.hpp"

// How Boost.Test prints the enums of the package model.
namespace tarsier::pkg {
inline std::ostream& operator<<(std::ostream& o, State s) { return o << state_name(s); }
inline std::ostream& operator<<(std::ostream& o, Ecosystem e) { return o << ecosystem_name(e); }
}  // namespace tarsier::pkg
namespace tarsier::util {
inline std::ostream& operator<<(std::ostream& o, ErrorKind k) { return o << static_cast<int>(k); }
}  // namespace tarsier::util

namespace tarsier::testing {

/// An image root held in maps: files with their bytes, symlinks with their targets,
/// directories implied by the paths below them (or added).
class MemoryRoot : public pkg::RootView {
public:
    MemoryRoot& file(const std::string& path, std::string bytes) {
        m_files[path] = std::move(bytes);
        add_parents(path);
        return *this;
    }
    MemoryRoot& symlink(const std::string& path, std::string target) {
        m_links[path] = std::move(target);
        add_parents(path);
        return *this;
    }
    MemoryRoot& dir(const std::string& path) {
        m_dirs.insert(path);
        add_parents(path);
        return *this;
    }
    /// A regular file whose bytes the view does not hold (as a streamed view past its limit).
    MemoryRoot& unread_file(const std::string& path) {
        m_unread.insert(path);
        add_parents(path);
        return *this;
    }

    [[nodiscard]] pkg::Kind kind(std::string_view path) const override {
        const std::string p(path);
        if (m_files.count(p) || m_unread.count(p)) return pkg::Kind::file;
        if (m_links.count(p)) return pkg::Kind::symlink;
        if (p.empty() || m_dirs.count(p)) return pkg::Kind::directory;
        return pkg::Kind::none;
    }
    [[nodiscard]] std::string link(std::string_view path) const override {
        const auto it = m_links.find(std::string(path));
        return it == m_links.end() ? std::string() : it->second;
    }
    [[nodiscard]] std::optional<std::string> read(std::string_view path) const override {
        const auto it = m_files.find(std::string(path));
        if (it == m_files.end()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] std::vector<std::string> list(std::string_view path) const override {
        std::set<std::string> names;
        const std::string prefix = path.empty() ? std::string() : std::string(path) + "/";
        auto consider = [&](const std::string& p) {
            if (p.size() <= prefix.size() || p.compare(0, prefix.size(), prefix) != 0) return;
            const auto rest = p.substr(prefix.size());
            if (rest.find('/') == std::string::npos) names.insert(rest);
        };
        for (const auto& [p, _] : m_files) consider(p);
        for (const auto& [p, _] : m_links) consider(p);
        for (const auto& p : m_dirs) consider(p);
        for (const auto& p : m_unread) consider(p);
        return {names.begin(), names.end()};
    }

private:
    void add_parents(const std::string& path) {
        for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
            m_dirs.insert(path.substr(0, slash));
        }
    }
    std::map<std::string, std::string> m_files;
    std::map<std::string, std::string> m_links;
    std::set<std::string> m_dirs;
    std::set<std::string> m_unread;
};

/// A directory on disk seen as an image root. `links` adds symlinks that the copy on disk
/// stores as something else (the shared corpus keeps some symlinks as plain files).
class DirRoot : public pkg::RootView {
public:
    explicit DirRoot(std::string dir, std::map<std::string, std::string> links = {})
        : m_dir(std::move(dir)), m_links(std::move(links)) {}

    [[nodiscard]] pkg::Kind kind(std::string_view path) const override {
        if (m_links.count(std::string(path))) return pkg::Kind::symlink;
        struct stat st{};
        if (::lstat(full(path).c_str(), &st) != 0) return pkg::Kind::none;
        if (S_ISREG(st.st_mode)) return pkg::Kind::file;
        if (S_ISDIR(st.st_mode)) return pkg::Kind::directory;
        if (S_ISLNK(st.st_mode)) return pkg::Kind::symlink;
        return pkg::Kind::other;
    }
    [[nodiscard]] std::string link(std::string_view path) const override {
        if (const auto it = m_links.find(std::string(path)); it != m_links.end()) return it->second;
        char buf[4096];
        const auto n = ::readlink(full(path).c_str(), buf, sizeof buf);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    }
    [[nodiscard]] std::optional<std::string> read(std::string_view path) const override {
        if (kind(path) != pkg::Kind::file) return std::nullopt;
        std::ifstream in(full(path), std::ios::binary);
        if (!in) return std::nullopt;
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }
    [[nodiscard]] std::vector<std::string> list(std::string_view path) const override {
        std::vector<std::string> names;
        DIR* d = ::opendir(full(path).c_str());
        if (!d) return names;
        while (const dirent* e = ::readdir(d)) {
            const std::string name = e->d_name;
            if (name != "." && name != "..") names.push_back(name);
        }
        ::closedir(d);
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    [[nodiscard]] std::string full(std::string_view path) const {
        return path.empty() ? m_dir : m_dir + "/" + std::string(path);
    }
    std::string m_dir;
    std::map<std::string, std::string> m_links;
};

}  // namespace tarsier::testing
