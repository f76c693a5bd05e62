// The input kept from the commands that write files (export -o, extract --to, report -o):
// tarsier never writes over the archive it reads.
#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include "cli/commands.hpp"

namespace tarsier::cli {

std::optional<util::Error> writes_over_input(const std::string& archive, const std::string& output) {
    namespace fs = std::filesystem;
    if (archive == "-" || output == "-") return std::nullopt;
    struct stat a {}, o {};
    if (::stat(archive.c_str(), &a) != 0) return std::nullopt;  // opening it says why
    if (::stat(output.c_str(), &o) == 0 && a.st_dev == o.st_dev && a.st_ino == o.st_ino)
        return util::Error{util::ErrorKind::usage, output, "", "is the archive itself; choose another file"};
    if (!S_ISDIR(a.st_mode)) return std::nullopt;
    // Inside the layout: the output's path with its symlinks resolved as far as it exists.
    std::error_code ec;
    const fs::path root = fs::canonical(archive, ec);
    if (ec) return std::nullopt;
    const fs::path at = fs::weakly_canonical(fs::absolute(output, ec), ec);
    if (ec) return std::nullopt;
    const fs::path rel = at.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") return std::nullopt;
    return util::Error{util::ErrorKind::usage, output, "", "is inside the archive directory being read; choose a place outside it"};
}

}  // namespace tarsier::cli
