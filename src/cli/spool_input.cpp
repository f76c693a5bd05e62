// Input for the commands that read layers twice (export, extract, cat): a pipe or a
// compressed outer archive is copied once, decompressed, into an unnamed temporary file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

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

util::Error named_as(util::Error e, const std::string& input, const std::string& archive) {
    if (e.file == input) e.file = archive;
    return e;
}

}  // namespace tarsier::cli
