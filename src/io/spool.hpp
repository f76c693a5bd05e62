#pragma once
/// Making an archive readable twice: `export`, `extract` and `cat` read layers again after
/// indexing them, which neither a pipe nor a compressed outer archive allows (a stream is
/// read once). Such input is copied once, decompressed, into an unnamed temporary file
/// (O_TMPFILE: it has no name and vanishes when tarsier exits). Memory stays bounded; the
/// disk holds one uncompressed copy.

#include <string>

#include "io/root_dir.hpp"
#include "util/result.hpp"

namespace tarsier::io {

/// Copies what `fd` reads (a gzip or zstd stream decoded) into an unnamed file in `dir`
/// and returns it, at its start. Fails (unreadable) when `dir` takes no unnamed file or
/// the copy fails, (malformed) on bad compressed data, (usage) on bzip2 and xz.
util::Result<Fd> spool_decoded(int fd, const std::string& dir);

/// Whether the file or stream `fd` must be spooled to be read twice: not a regular file,
/// or one that starts compressed (its first bytes read with pread; a stream is not read).
bool needs_spool(int fd);

}  // namespace tarsier::io
