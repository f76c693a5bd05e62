// OCI image layout directories: the tree is listed once (never following symlinks out of
// it) and files are opened on demand.
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fmt/format.h>

#include "archive/container.hpp"
#include "io/file_source.hpp"
#include "util/strings.hpp"

namespace tarsier::archive {

using util::ErrorKind;
using util::fail;
using util::Result;

namespace {

constexpr std::size_t kMaxEntries = 1'000'000;
constexpr int kMaxDepth = 64;

class DirContainer final : public Container {
public:
    explicit DirContainer(std::string path) : Container(std::move(path), Packaging::directory) {}

    Result<void> load(const OpenOptions& options) {
        m_options = options;
        std::vector<Entry> found;
        auto r = walk("", 0, found);
        if (!r) return r;
        std::sort(found.begin(), found.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
        for (auto& e : found) add_entry(std::move(e));
        return {};
    }

    Result<Location> locate(const Entry& e) const override {
        auto file = io::FileSource::open(path() + "/" + e.name);
        if (!file) return fail(file.error().at(e.name));
        return Location{std::move(*file), 0};
    }

private:
    Result<void> walk(const std::string& rel, int depth, std::vector<Entry>& out) {
        if (depth > kMaxDepth) return fail(ErrorKind::limit, rel, "directory tree deeper than 64 levels");
        std::string dir = rel.empty() ? path() : path() + "/" + rel;
        DIR* d = ::opendir(dir.c_str());
        if (!d) return fail(ErrorKind::unreadable, rel.empty() ? "." : rel, std::strerror(errno));
        std::vector<std::string> names;
        while (dirent* de = ::readdir(d)) {
            std::string n = de->d_name;
            if (n == "." || n == "..") continue;
            names.push_back(std::move(n));
        }
        ::closedir(d);
        for (const auto& n : names) {
            if (out.size() >= kMaxEntries) return fail(ErrorKind::limit, rel, "more than 1,000,000 files");
            std::string child = rel.empty() ? n : rel + "/" + n;
            struct stat st{};
            if (::lstat((path() + "/" + child).c_str(), &st) != 0)
                return fail(ErrorKind::unreadable, child, std::strerror(errno));
            Entry e;
            e.name = child;
            e.raw_name = child;
            if (S_ISDIR(st.st_mode)) {
                e.type = EntryType::directory;
                out.push_back(e);
                auto r = walk(child, depth + 1, out);
                if (!r) return r;
                continue;
            }
            if (S_ISREG(st.st_mode)) {
                e.type = EntryType::regular;
                e.size = static_cast<std::uint64_t>(st.st_size);
            } else if (S_ISLNK(st.st_mode)) {
                e.type = EntryType::symlink;
                std::string target(static_cast<std::size_t>(std::max<off_t>(st.st_size, 0)) + 1, '\0');
                ssize_t n2 = ::readlink((path() + "/" + child).c_str(), target.data(), target.size());
                if (n2 < 0) return fail(ErrorKind::unreadable, child, std::strerror(errno));
                target.resize(static_cast<std::size_t>(n2));
                e.link = target;
            } else {
                e.type = EntryType::other;
            }
            out.push_back(std::move(e));
        }
        return {};
    }
};

}  // namespace

Result<std::unique_ptr<Container>> open_tar_container(const std::string& path, const OpenOptions& options);

namespace {

/// Standard input as an archive: refused at once when it is a terminal (tarsier would wait
/// for a tar typed by hand) or closed; otherwise nothing to say.
Result<void> check_standard_input() {
    struct stat st{};
    if (::fstat(STDIN_FILENO, &st) != 0) {
        if (errno == EBADF)
            return fail(util::make_error(ErrorKind::unreadable, "", "standard input is closed").in_file("-"));
        return fail(util::make_error(ErrorKind::unreadable, "", std::strerror(errno)).in_file("-"));
    }
    if (::isatty(STDIN_FILENO))
        return fail(util::make_error(ErrorKind::usage, "",
                                     "standard input is a terminal; pipe an archive into it or name a file")
                        .in_file("-"));
    return {};
}

}  // namespace

Result<std::unique_ptr<Container>> open_container(const std::string& path, const OpenOptions& options) {
    if (path == "-") {
        if (auto r = check_standard_input(); !r) return r.failure();
    }
    struct stat st{};
    if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        auto c = std::make_unique<DirContainer>(path);
        auto r = c->load(options);
        if (!r) return fail(r.error().in_file(path));
        return std::unique_ptr<Container>(std::move(c));
    }
    return open_tar_container(path, options);
}

}  // namespace tarsier::archive
