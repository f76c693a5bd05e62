// Input for the commands that read layers twice (export, extract, cat): a pipe or a
// compressed outer archive is copied once, decompressed, into an unnamed temporary file;
// and the input kept from the commands that write files (export, extract, report).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "cli/commands.hpp"
#include "io/spool.hpp"

namespace tarsier::cli {

std::optional<int> spool_if_stream(std::string& archive) {
    int fd = 0;
    io::Fd opened;
    if (archive != "-") {
        struct stat st{};
        if (::stat(archive.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;  // the query says why
        opened = io::Fd(::open(archive.c_str(), O_RDONLY | O_CLOEXEC));
        if (opened.get() < 0) return std::nullopt;
        fd = opened.get();
    } else if (::isatty(0)) {
        return std::nullopt;  // refused by the query, as in every command
    }
    if (!io::needs_spool(fd)) return std::nullopt;
    const char* tmp = std::getenv("TMPDIR");
    auto copy = io::spool_decoded(fd, tmp && *tmp ? tmp : "/tmp");
    if (!copy) return fail_with(copy.error(), archive);
    // Kept open for the rest of the run; the query opens it by its /proc name.
    int kept = ::dup(copy->get());
    archive = "/proc/self/fd/" + std::to_string(kept);
    return std::nullopt;
}

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

util::Error named_as(util::Error e, const std::string& input, const std::string& archive) {
    if (e.file == input) e.file = archive;
    return e;
}

}  // namespace tarsier::cli
