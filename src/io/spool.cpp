#include "io/spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace tarsier::io {

using util::ErrorKind;
using util::fail;

util::Result<void> spool_stdin(const std::string& dir) {
    struct stat st{};
    if (::fstat(0, &st) != 0) return fail(ErrorKind::unreadable, "-", "standard input is closed");
    if (S_ISREG(st.st_mode)) return {};
    if (::isatty(0)) return fail(ErrorKind::usage, "-", "standard input is a terminal; pipe an archive into it");
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(ErrorKind::unreadable, "-",
                    fmt::format("cannot make an unnamed file in {} to read standard input twice: {}", dir, std::strerror(errno)));
    std::vector<char> buf(1 << 20);
    for (;;) {
        auto n = ::read(0, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            return fail(ErrorKind::unreadable, "-", fmt::format("cannot read standard input: {}", std::strerror(err)));
        }
        if (n == 0) break;
        for (ssize_t done = 0; done < n;) {
            auto w = ::write(fd, buf.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                int err = errno;
                ::close(fd);
                return fail(ErrorKind::unreadable, "-", fmt::format("cannot copy standard input into {}: {}", dir, std::strerror(err)));
            }
            done += w;
        }
    }
    if (::lseek(fd, 0, SEEK_SET) != 0 || ::dup2(fd, 0) < 0) {
        int err = errno;
        ::close(fd);
        return fail(ErrorKind::unreadable, "-", fmt::format("cannot rewind the copy of standard input: {}", std::strerror(err)));
    }
    ::close(fd);
    return {};
}

}  // namespace tarsier::io
