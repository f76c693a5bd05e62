#include "io/root_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace tarsier::io {

using util::ErrorKind;
using util::fail;

namespace {

constexpr std::size_t kHoleBlock = 4096;

util::Error sys_error(std::string_view rel, std::string_view what, int err) {
    return util::make_error(ErrorKind::unreadable, std::string(rel), fmt::format("{}: {}", what, std::strerror(err)));
}

/// Why a path could not be walked, for the errno of a walk that refuses to follow.
util::Error refused(std::string_view rel, int err) {
    if (err == ELOOP || err == EXDEV)
        return util::make_error(ErrorKind::malformed, std::string(rel), "refused: a symlink is in the path (not followed)");
    if (err == ENOTDIR)
        return util::make_error(ErrorKind::malformed, std::string(rel), "refused: a non-directory is in the path");
    return sys_error(rel, "cannot open the directory", err);
}

int openat2_dir(int root, const std::string& rel) {
#ifdef SYS_openat2
    open_how how{};
    how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    return static_cast<int>(::syscall(SYS_openat2, root, rel.c_str(), &how, sizeof how));
#else
    errno = ENOSYS;
    return -1;
#endif
}

timespec to_timespec(std::int64_t t) { return timespec{static_cast<time_t>(t), 0}; }

}  // namespace

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = std::exchange(o.m_fd, -1);
    }
    return *this;
}

Fd::~Fd() {
    if (m_fd >= 0) ::close(m_fd);
}

util::Result<std::unique_ptr<RootDir>> RootDir::open(const std::string& path, bool must_be_empty, bool* made) {
    bool created = ::mkdir(path.c_str(), 0755) == 0;
    if (!created && errno != EEXIST) return fail(sys_error("", "cannot create the directory", errno).in_file(path));
    if (made) *made = created;
    Fd root(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root.get() < 0) return fail(sys_error("", "cannot open the directory", errno).in_file(path));
    if (must_be_empty && !created) {
        DIR* d = ::fdopendir(::dup(root.get()));
        if (!d) return fail(sys_error("", "cannot list the directory", errno).in_file(path));
        bool empty = true;
        while (dirent* e = ::readdir(d))
            if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) empty = false;
        ::closedir(d);
        if (!empty)
            return fail(util::Error{ErrorKind::usage, path, "", "the target directory is not empty (--force writes into it anyway)"});
    }
    return std::unique_ptr<RootDir>(new RootDir(std::move(root)));
}

util::Result<std::unique_ptr<RootDir>> RootDir::another() const {
    Fd root(::fcntl(m_root.get(), F_DUPFD_CLOEXEC, 0));
    if (root.get() < 0) return fail(sys_error("", "cannot open the directory again", errno));
    std::unique_ptr<RootDir> other(new RootDir(std::move(root)));
    other->m_kept = m_kept;
    return other;
}

void RootDir::keep(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) m_kept.emplace_back(st.st_dev, st.st_ino);
}

util::Result<Fd> RootDir::open_dir(std::string_view rel, bool create) {
    std::string path(rel);
    if (path.empty()) return Fd(::fcntl(m_root.get(), F_DUPFD_CLOEXEC, 0));
    int fd = openat2_dir(m_root.get(), path);
    if (fd >= 0) return Fd(fd);
    int err = errno;
    if (err != ENOSYS && err != EPERM && err != E2BIG && err != EINVAL && !(err == ENOENT && create))
        return fail(refused(rel, err));
    // The walk: one component at a time, never following a symlink, creating what is missing.
    Fd cur(::fcntl(m_root.get(), F_DUPFD_CLOEXEC, 0));
    std::string_view rest = rel;
    while (!rest.empty()) {
        auto slash = rest.find('/');
        std::string c(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (c.empty() || c == "." || c == "..")
            return fail(ErrorKind::malformed, std::string(rel), "refused: the path is not clean");
        int next = ::openat(cur.get(), c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT && create) {
            if (::mkdirat(cur.get(), c.c_str(), 0755) != 0 && errno != EEXIST)
                return fail(sys_error(rel, "cannot create a directory", errno));
            next = ::openat(cur.get(), c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (next < 0) return fail(refused(rel, errno));
        cur = Fd(next);
    }
    return cur;
}

util::Result<std::pair<int, std::string_view>> RootDir::parent_of(std::string_view rel, bool create) {
    auto slash = rel.rfind('/');
    std::string_view parent = slash == std::string_view::npos ? std::string_view() : rel.substr(0, slash);
    std::string_view base = slash == std::string_view::npos ? rel : rel.substr(slash + 1);
    if (base.empty() || base == "." || base == "..")
        return fail(ErrorKind::malformed, std::string(rel), "refused: the path is not clean");
    if (parent.empty()) return std::pair{m_root.get(), base};
    if (m_cached.get() < 0 || m_cached_path != parent) {
        m_cached = Fd();
        auto dir = open_dir(parent, create);
        if (!dir) return fail(util::make_error(dir.error().kind, std::string(rel), dir.error().what));
        m_cached = std::move(*dir);
        m_cached_path = parent;
    }
    return std::pair{m_cached.get(), base};
}

util::Result<void> RootDir::clear(int dir, std::string_view base, std::string_view rel) {
    std::string b(base);
    struct stat st{};
    if (::fstatat(dir, b.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return fail(sys_error(rel, "cannot look at", errno));
    if (S_ISDIR(st.st_mode)) return fail(ErrorKind::malformed, std::string(rel), "refused: a directory is in the way");
    for (const auto& [dev, ino] : m_kept)
        if (st.st_dev == dev && st.st_ino == ino)
            return fail(ErrorKind::malformed, std::string(rel), "refused: it is the archive being read (not replaced)");
    if (::unlinkat(dir, b.c_str(), 0) != 0) return fail(sys_error(rel, "cannot replace", errno));
    return {};
}

util::Result<void> RootDir::make_dirs(std::string_view rel) {
    auto dir = open_dir(rel, true);
    if (!dir) return dir.failure();
    return {};
}

util::Result<Fd> RootDir::create_file(std::string_view rel) {
    auto p = parent_of(rel, true);
    if (!p) return p.failure();
    std::string base(p->second);
    for (int attempt = 0; attempt < 2; ++attempt) {
        int fd = ::openat(p->first, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) return Fd(fd);
        if (errno != EEXIST || attempt > 0) return fail(sys_error(rel, "cannot create the file", errno));
        if (auto c = clear(p->first, p->second, rel); !c) return c.failure();
    }
    return fail(ErrorKind::unreadable, std::string(rel), "cannot create the file");
}

util::Result<Fd> RootDir::make_private_dir(const std::string& name) {
    if (::mkdirat(m_root.get(), name.c_str(), 0700) != 0) return fail(sys_error(name, "cannot create the directory", errno));
    Fd dir(::openat(m_root.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (dir.get() < 0) return fail(sys_error(name, "cannot open the directory", errno));
    return dir;
}

void RootDir::remove_private_dir(const std::string& name, const Fd& dir) {
    if (dir.get() >= 0) {
        if (DIR* d = ::fdopendir(::fcntl(dir.get(), F_DUPFD_CLOEXEC, 0))) {
            std::vector<std::string> names;
            while (dirent* e = ::readdir(d))
                if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) names.emplace_back(e->d_name);
            ::closedir(d);
            for (const auto& n : names) ::unlinkat(dir.get(), n.c_str(), 0);
        }
    }
    ::unlinkat(m_root.get(), name.c_str(), AT_REMOVEDIR);
}

util::Result<Fd> RootDir::create_in(const Fd& dir, const std::string& name) {
    int fd = ::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return fail(sys_error(name, "cannot create the file", errno));
    return Fd(fd);
}

namespace {

/// Copies the regular file `name` of `from` to the new file `base` of `to` with its mode,
/// owner, times and extended attributes, then removes it: move_in across file systems.
util::Result<void> copy_across(int from, const std::string& name, int to, const std::string& base, std::string_view rel) {
    Fd in(::openat(from, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (in.get() < 0 || ::fstat(in.get(), &st) != 0) return fail(sys_error(rel, "cannot read the staged file", errno));
    Fd out(::openat(to, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (out.get() < 0) return fail(sys_error(rel, "cannot create the file", errno));
    std::vector<std::uint8_t> buf(1 << 16);
    for (std::uint64_t offset = 0;;) {
        const ssize_t n = ::read(in.get(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(sys_error(rel, "cannot read the staged file", errno));
        if (n == 0) break;
        if (auto w = RootDir::write_sparse(out, std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)), offset); !w)
            return fail(util::make_error(w.error().kind, std::string(rel), w.error().what));
    }
    FileMeta meta;
    meta.mode = st.st_mode & 07777;
    meta.uid = st.st_uid == ::geteuid() ? -1 : st.st_uid;
    meta.gid = st.st_uid == ::geteuid() ? -1 : st.st_gid;
    meta.mtime = st.st_mtim.tv_sec;
    std::vector<char> names(64 * 1024);
    const ssize_t len = ::flistxattr(in.get(), names.data(), names.size());
    for (ssize_t i = 0; i < len;) {
        std::string key(names.data() + i);
        i += static_cast<ssize_t>(key.size()) + 1;
        std::string value(64 * 1024, '\0');
        const ssize_t v = ::fgetxattr(in.get(), key.c_str(), value.data(), value.size());
        if (v >= 0) meta.xattrs.emplace_back(key, value.substr(0, static_cast<std::size_t>(v)));
    }
    if (auto f = RootDir::finish_file(out, static_cast<std::uint64_t>(st.st_size), meta, rel); !f) return f;
    ::unlinkat(from, name.c_str(), 0);
    return {};
}

}  // namespace

util::Result<void> RootDir::move_in(const Fd& dir, const std::string& name, std::string_view rel) {
    auto p = parent_of(rel, true);
    if (!p) return p.failure();
    std::string base(p->second);
    // What is there, looked at as clear() looks (a directory, the archive), then removed.
    auto clear_there = [&]() -> util::Result<void> {
        struct stat st {};
        if (::fstatat(p->first, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return {};
        return clear(p->first, p->second, rel);
    };
    for (int attempt = 0;; ++attempt) {
        // RENAME_NOREPLACE: what is there is looked at (a directory, the archive) first.
        if (::renameat2(dir.get(), name.c_str(), p->first, base.c_str(), RENAME_NOREPLACE) == 0) return {};
        if (errno == EINVAL && attempt == 0) {
            // A filesystem without RENAME_NOREPLACE: clear what is there, then rename.
            if (auto c = clear_there(); !c) return c;
            if (::renameat(dir.get(), name.c_str(), p->first, base.c_str()) == 0) return {};
            return fail(sys_error(rel, "cannot create the file", errno));
        }
        if (errno == EXDEV) {
            // A file system mounted below the target (--force into a tree): a copy there.
            if (auto c = clear_there(); !c) return c;
            return copy_across(dir.get(), name, p->first, base, rel);
        }
        if (errno != EEXIST || attempt > 0) return fail(sys_error(rel, "cannot create the file", errno));
        if (auto c = clear(p->first, p->second, rel); !c) return c;
    }
}

util::Result<void> RootDir::write_sparse(const Fd& file, std::span<const std::uint8_t> bytes, std::uint64_t& offset) {
    static const std::uint8_t zeros[kHoleBlock] = {};
    while (!bytes.empty()) {
        std::size_t n = std::min(bytes.size(), kHoleBlock);
        if (!(n == kHoleBlock && std::memcmp(bytes.data(), zeros, n) == 0)) {
            // Write every non-zero block, and runs of them at once.
            std::size_t run = n;
            while (run < bytes.size()) {
                std::size_t m = std::min(bytes.size() - run, kHoleBlock);
                if (m == kHoleBlock && std::memcmp(bytes.data() + run, zeros, m) == 0) break;
                run += m;
            }
            n = run;
            std::size_t done = 0;
            while (done < n) {
                auto w = ::pwrite(file.get(), bytes.data() + done, n - done, static_cast<off_t>(offset + done));
                if (w < 0) {
                    if (errno == EINTR) continue;
                    return fail(sys_error("", "cannot write", errno));
                }
                done += static_cast<std::size_t>(w);
            }
        }
        offset += n;
        bytes = bytes.subspan(n);
    }
    return {};
}

util::Result<void> RootDir::finish_file(const Fd& file, std::uint64_t size, const FileMeta& meta, std::string_view rel) {
    if (::ftruncate(file.get(), static_cast<off_t>(size)) != 0) return fail(sys_error(rel, "cannot size the file", errno));
    if (meta.uid >= 0 && ::fchown(file.get(), static_cast<uid_t>(meta.uid), static_cast<gid_t>(meta.gid)) != 0)
        return fail(sys_error(rel, "cannot set the owner", errno));
    for (const auto& [name, value] : meta.xattrs)
        if (::fsetxattr(file.get(), name.c_str(), value.data(), value.size(), 0) != 0)
            return fail(sys_error(rel, "cannot set extended attribute " + name, errno));
    if (::fchmod(file.get(), meta.mode & 07777) != 0) return fail(sys_error(rel, "cannot set the mode", errno));
    timespec ts[2] = {to_timespec(meta.mtime), to_timespec(meta.mtime)};
    if (::futimens(file.get(), ts) != 0) return fail(sys_error(rel, "cannot set the time", errno));
    return {};
}

util::Result<void> RootDir::make_symlink(std::string_view rel, std::string_view target, const FileMeta& meta) {
    auto p = parent_of(rel, true);
    if (!p) return p.failure();
    std::string base(p->second), to(target);
    for (int attempt = 0;; ++attempt) {
        if (::symlinkat(to.c_str(), p->first, base.c_str()) == 0) break;
        if (errno != EEXIST || attempt > 0) return fail(sys_error(rel, "cannot create the symlink", errno));
        if (auto c = clear(p->first, p->second, rel); !c) return c.failure();
    }
    if (meta.uid >= 0 && ::fchownat(p->first, base.c_str(), static_cast<uid_t>(meta.uid), static_cast<gid_t>(meta.gid),
                                    AT_SYMLINK_NOFOLLOW) != 0)
        return fail(sys_error(rel, "cannot set the owner", errno));
    timespec ts[2] = {to_timespec(meta.mtime), to_timespec(meta.mtime)};
    if (::utimensat(p->first, base.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0)
        return fail(sys_error(rel, "cannot set the time", errno));
    return {};
}

util::Result<void> RootDir::make_hardlink(std::string_view rel, std::string_view target) {
    auto tslash = target.rfind('/');
    auto tdir = open_dir(tslash == std::string_view::npos ? std::string_view() : target.substr(0, tslash), false);
    if (!tdir) return fail(util::make_error(tdir.error().kind, std::string(rel), "hardlink target: " + tdir.error().what));
    std::string tbase(tslash == std::string_view::npos ? target : target.substr(tslash + 1));
    auto p = parent_of(rel, true);
    if (!p) return p.failure();
    std::string base(p->second);
    for (int attempt = 0;; ++attempt) {
        // No AT_SYMLINK_FOLLOW: a symlink target is linked as the symlink, never followed.
        if (::linkat(tdir->get(), tbase.c_str(), p->first, base.c_str(), 0) == 0) return {};
        if (errno != EEXIST || attempt > 0) return fail(sys_error(rel, "cannot create the hardlink", errno));
        if (auto c = clear(p->first, p->second, rel); !c) return c.failure();
    }
}

util::Result<void> RootDir::make_node(std::string_view rel, char type, std::uint32_t major, std::uint32_t minor,
                                      const FileMeta& meta) {
    auto p = parent_of(rel, true);
    if (!p) return p.failure();
    std::string base(p->second);
    mode_t kind = type == '3' ? S_IFCHR : type == '4' ? S_IFBLK : S_IFIFO;
    for (int attempt = 0;; ++attempt) {
        if (::mknodat(p->first, base.c_str(), kind | 0600, makedev(major, minor)) == 0) break;
        if (errno != EEXIST || attempt > 0) return fail(sys_error(rel, "cannot create the node", errno));
        if (auto c = clear(p->first, p->second, rel); !c) return c.failure();
    }
    if (meta.uid >= 0 && ::fchownat(p->first, base.c_str(), static_cast<uid_t>(meta.uid), static_cast<gid_t>(meta.gid),
                                    AT_SYMLINK_NOFOLLOW) != 0)
        return fail(sys_error(rel, "cannot set the owner", errno));
    if (::fchmodat(p->first, base.c_str(), meta.mode & 07777, 0) != 0) return fail(sys_error(rel, "cannot set the mode", errno));
    timespec ts[2] = {to_timespec(meta.mtime), to_timespec(meta.mtime)};
    if (::utimensat(p->first, base.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0)
        return fail(sys_error(rel, "cannot set the time", errno));
    return {};
}

util::Result<void> RootDir::set_dir_meta(std::string_view rel, const FileMeta& meta) {
    auto dir = open_dir(rel, false);
    if (!dir) return dir.failure();
    if (meta.uid >= 0 && ::fchown(dir->get(), static_cast<uid_t>(meta.uid), static_cast<gid_t>(meta.gid)) != 0)
        return fail(sys_error(rel, "cannot set the owner", errno));
    for (const auto& [name, value] : meta.xattrs)
        if (::fsetxattr(dir->get(), name.c_str(), value.data(), value.size(), 0) != 0)
            return fail(sys_error(rel, "cannot set extended attribute " + name, errno));
    if (::fchmod(dir->get(), meta.mode & 07777) != 0) return fail(sys_error(rel, "cannot set the mode", errno));
    timespec ts[2] = {to_timespec(meta.mtime), to_timespec(meta.mtime)};
    if (::futimens(dir->get(), ts) != 0) return fail(sys_error(rel, "cannot set the time", errno));
    return {};
}

}  // namespace tarsier::io
