#pragma once
/// Making an archive readable twice: `export`, `extract` and `cat` read layers again after
/// indexing them, which neither a pipe nor a compressed outer archive allows (a stream is
/// read once). Such input is copied once, decompressed, into an unnamed temporary file
/// (O_TMPFILE: it has no name and vanishes when tarsier exits). Memory stays bounded; the
/// disk holds one uncompressed copy.

#include <memory>
#include <string>

#include "io/file_source.hpp"
#include "io/root_dir.hpp"
#include "util/result.hpp"

namespace tarsier::io {

/// Copies what `fd` reads (a gzip or zstd stream decoded) into an unnamed file in `dir`
/// and returns it, at its start. Fails (unreadable) when `dir` takes no unnamed file or
/// the copy fails, (malformed) on bad compressed data, (usage) on bzip2 and xz.
util::Result<Fd> spool_decoded(int fd, const std::string& dir);

/// An unnamed file (O_TMPFILE) in `dir`, open for reading and writing; it vanishes when
/// closed. Fails (unreadable) when `dir` takes none.
util::Result<Fd> make_unnamed_file(const std::string& dir);

/// Reads `src` and keeps a copy of every byte read in an unnamed file in a directory, so
/// that a stream decoded once can be read again from the copy. A copy that cannot be
/// made or written (no such directory, a full disk) is given up quietly: the stream
/// reads on, and copy() says there is none.
class CopyingReader final : public Reader {
public:
    CopyingReader(Reader& src, const std::string& dir);
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override;
    /// The copy of everything read so far, as a seekable file named `name` in messages;
    /// null when it was given up. The reader copies nothing more afterwards.
    std::shared_ptr<FileSource> copy(const std::string& name);

private:
    Reader& m_src;
    Fd m_file;
};

/// Whether the file or stream `fd` must be spooled to be read twice: not a regular file,
/// or one that starts compressed (its first bytes read with pread; a stream is not read).
bool needs_spool(int fd);

}  // namespace tarsier::io
