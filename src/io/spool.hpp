#pragma once
/// Making standard input seekable: `export`, `extract` and `cat` read layers again after
/// indexing them, which a pipe cannot give. The pipe is copied once into an unlinked
/// temporary file (O_TMPFILE: it has no name and vanishes when tarsier exits), which then
/// takes the place of descriptor 0. Memory stays bounded; the disk holds one copy.

#include <string>

#include "util/result.hpp"

namespace tarsier::io {

/// When standard input is not a regular file, copies it into an unnamed file in `dir` and
/// puts that file on descriptor 0, at its start. Fails (unreadable) when `dir` takes no
/// unnamed file or the copy fails; (usage) when standard input is a terminal.
util::Result<void> spool_stdin(const std::string& dir);

}  // namespace tarsier::io
