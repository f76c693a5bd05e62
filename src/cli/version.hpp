#pragma once
/// What `tarsier -V` / `--version` prints: tarsier's version and the libraries it was built
/// with and runs with, one per line (like `curl -V`).

#include <string>

namespace tarsier::cli {

/// "tarsier 0.1.0\n" followed by one "  <library> <version>" line per library (the
/// version linked at run time where the library reports one) and whether gzip inflate
/// uses ISA-L.
std::string version_text();

}  // namespace tarsier::cli
