#include "io/spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "io/decompress.hpp"

namespace tarsier::io {

using util::ErrorKind;
using util::fail;

namespace {

/// The first bytes already read, then the rest of the descriptor.
class HeadThenFd final : public Reader {
public:
    HeadThenFd(std::span<const std::uint8_t> head, int fd) : m_head(head), m_fd(fd) {}
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        if (!m_head.empty()) {
            std::size_t n = std::min(buf.size(), m_head.size());
            std::memcpy(buf.data(), m_head.data(), n);
            m_head = m_head.subspan(n);
            return n;
        }
        for (;;) {
            auto n = ::read(m_fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return fail(ErrorKind::unreadable, "", std::strerror(errno));
            return static_cast<std::size_t>(n);
        }
    }

private:
    std::span<const std::uint8_t> m_head;
    int m_fd;
};

}  // namespace

bool needs_spool(int fd) {
    struct stat st{};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return true;
    std::array<std::uint8_t, 8> head{};
    auto n = ::pread(fd, head.data(), head.size(), 0);
    return n > 0 && sniff(std::span(head.data(), static_cast<std::size_t>(n))) != Compression::none;
}

util::Result<Fd> spool_decoded(int fd, const std::string& dir) {
    std::array<std::uint8_t, 8> head{};
    std::size_t got = 0;
    while (got < head.size()) {
        auto n = ::read(fd, head.data() + got, head.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(ErrorKind::unreadable, "", fmt::format("cannot read: {}", std::strerror(errno)));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    auto c = sniff(std::span(head.data(), got));
    if (c == Compression::bzip2 || c == Compression::xz)
        return fail(ErrorKind::usage, "",
                    fmt::format("a {} outer archive cannot be read twice here; decompress it first", to_string(c)));
    Fd out(::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
    if (out.get() < 0)
        return fail(ErrorKind::unreadable, "",
                    fmt::format("cannot make an unnamed file in {} to read the input twice: {}", dir, std::strerror(errno)));
    HeadThenFd raw(std::span<const std::uint8_t>(head.data(), got), fd);
    auto decoded = make_decoder(c, raw);
    std::vector<std::uint8_t> buf(1 << 20);
    for (;;) {
        auto n = decoded->read(buf);
        if (!n) return n.failure();
        if (*n == 0) break;
        for (std::size_t done = 0; done < *n;) {
            auto w = ::write(out.get(), buf.data() + done, *n - done);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return fail(ErrorKind::unreadable, "", fmt::format("cannot copy the input into {}: {}", dir, std::strerror(errno)));
            done += static_cast<std::size_t>(w);
        }
    }
    if (::lseek(out.get(), 0, SEEK_SET) != 0) return fail(ErrorKind::unreadable, "", std::strerror(errno));
    return out;
}

}  // namespace tarsier::io
