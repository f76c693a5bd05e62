#pragma once
/// Writing files beneath one directory, never anywhere else. Every path is relative to a
/// descriptor of the root and is opened without ever following a symlink in any of its
/// components: openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS where the kernel has
/// it, else a walk of openat(O_NOFOLLOW | O_DIRECTORY), one component at a time. A
/// symlink, a file or ".." in the way is an error, never a detour.

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace tarsier::io {

/// An owned file descriptor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}
    Fd& operator=(Fd&& o) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();
    [[nodiscard]] int get() const { return m_fd; }

private:
    int m_fd = -1;
};

/// Metadata to give a created entry.
struct FileMeta {
    std::uint32_t mode = 0644;  ///< permission bits (and setuid, setgid, sticky)
    std::int64_t uid = -1, gid = -1;  ///< -1: leave the owner as created
    std::int64_t mtime = 0;
    std::vector<std::pair<std::string, std::string>> xattrs;  ///< set when non-empty
};

/// A directory that files are created beneath. Errors name the path inside the root.
class RootDir {
public:
    /// Opens (creating it when absent, with mode 0755) the directory `path`. With
    /// `must_be_empty`, an existing directory with anything in it is a usage error.
    /// `created`, when given, says whether this call created it.
    static util::Result<std::unique_ptr<RootDir>> open(const std::string& path, bool must_be_empty, bool* created = nullptr);
    /// Another RootDir on the same directory, for another thread: a RootDir is used by one
    /// thread at a time (it keeps the parent it opened last).
    [[nodiscard]] util::Result<std::unique_ptr<RootDir>> another() const;

    /// Creates the directory `rel` and any missing parents (mode 0755 less the umask, as
    /// `mkdir -p`; set_dir_meta gives an entry's directory its own mode at the end). An
    /// existing directory is kept.
    util::Result<void> make_dirs(std::string_view rel);
    /// Creates the regular file `rel` (its parents as make_dirs), replacing a non-directory
    /// already there, and returns it open for writing.
    util::Result<Fd> create_file(std::string_view rel);
    /// Writes `bytes` at the file's current end, leaving holes for runs of zero bytes.
    static util::Result<void> write_sparse(const Fd& file, std::span<const std::uint8_t> bytes, std::uint64_t& offset);
    /// Ends a file that write_sparse wrote: its size (holes at the end) and metadata.
    static util::Result<void> finish_file(const Fd& file, std::uint64_t size, const FileMeta& meta, std::string_view rel);
    /// A symlink `rel` holding `target` as text (never resolved here).
    util::Result<void> make_symlink(std::string_view rel, std::string_view target, const FileMeta& meta);
    /// A hardlink `rel` to the existing non-directory `target` (both inside the root).
    util::Result<void> make_hardlink(std::string_view rel, std::string_view target);
    /// A FIFO, or a character ('3') or block ('4') device.
    util::Result<void> make_node(std::string_view rel, char type, std::uint32_t major, std::uint32_t minor,
                                 const FileMeta& meta);
    /// Gives the existing directory `rel` its mode, owner and mtime.
    util::Result<void> set_dir_meta(std::string_view rel, const FileMeta& meta);
    /// A new directory `name` directly in the root, mode 0700, for files written before
    /// their place is known (extract's staging); fails when `name` exists.
    util::Result<Fd> make_private_dir(const std::string& name);
    /// Removes what make_private_dir made: the non-directories still in it, then it.
    void remove_private_dir(const std::string& name, const Fd& dir);
    /// Creates the regular file `name` in `dir` (a private directory), open for writing;
    /// fails when it exists.
    static util::Result<Fd> create_in(const Fd& dir, const std::string& name);
    /// Moves the regular file `name` of `dir` (a private directory) to `rel` (its parents
    /// as make_dirs), replacing a non-directory already there, as create_file would.
    util::Result<void> move_in(const Fd& dir, const std::string& name, std::string_view rel);
    /// Never replaces the file at `path` (outside or inside the root; the archive being
    /// read): a path that names it is refused. A path that does not exist is ignored.
    void keep(const std::string& path);

private:
    explicit RootDir(Fd root) : m_root(std::move(root)) {}
    /// The directory holding `rel`, created when `create`, and the last component.
    util::Result<std::pair<int, std::string_view>> parent_of(std::string_view rel, bool create);
    util::Result<Fd> open_dir(std::string_view rel, bool create);
    /// Removes a non-directory at `base` in `dir` so that it can be created again.
    util::Result<void> clear(int dir, std::string_view base, std::string_view rel);

    Fd m_root;
    std::vector<std::pair<dev_t, ino_t>> m_kept;  // keep(): never replaced
    std::string m_cached_path;  // the parent opened last, kept open: files come in runs
    Fd m_cached;
};

}  // namespace tarsier::io
