/// libFuzzer target: the outer archive. The input is the archive file (a tar, possibly
/// compressed): it is opened the way `tarsier ls` and `tarsier verify` open a file, its
/// images are resolved, one is selected, and every layer of every image is scanned.
/// The bytes go to a memfd, so the seekable tar-file path (headers indexed, entries read
/// by offset, the ustar walker) runs, or the streaming path for a compressed archive.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "archive/container.hpp"
#include "image/facts.hpp"
#include "image/model.hpp"
#include "image/select.hpp"

using namespace tarsier;

namespace {

/// A memfd holding the input, closed when done.
class MemFile {
public:
    MemFile(const std::uint8_t* data, std::size_t size) : m_fd(::memfd_create("fuzz-archive", MFD_CLOEXEC)) {
        std::size_t done = 0;
        while (m_fd >= 0 && done < size) {
            const ssize_t n = ::write(m_fd, data + done, size - done);
            if (n <= 0) std::abort();
            done += static_cast<std::size_t>(n);
        }
    }
    ~MemFile() {
        if (m_fd >= 0) ::close(m_fd);
    }
    MemFile(const MemFile&) = delete;
    MemFile& operator=(const MemFile&) = delete;
    [[nodiscard]] std::string path() const { return "/proc/self/fd/" + std::to_string(m_fd); }
    [[nodiscard]] bool ok() const { return m_fd >= 0; }

private:
    int m_fd;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    MemFile file(data, size);
    if (!file.ok()) std::abort();
    archive::OpenOptions open;
    // The last byte chooses what a stream computes as it passes, as the commands differ
    // (a tar ends in zeros, so the seeds start with the least).
    const std::uint8_t mode = size > 0 ? data[size - 1] : 0;
    open.stream_scan.walk_tar = true;
    open.stream_scan.diff_id = (mode & 1) != 0;
    if (mode & 2) open.stream_scan.raw_digest = digest::Algorithm::sha256;
    if (mode & 4) open.stream_scan.index = archive::ContentDigest::xxh128;
    open.tolerate_damage = (mode & 8) != 0;
    open.max_document_size = 1 << 20;
    open.stream_scan.max_layer_size = 64 << 20;
    image::ResolveOptions resolve;
    if (mode & 16) resolve.platform = "linux/arm64";
    auto ar = image::open_archive(file.path(), open, resolve);
    if (!ar) return 0;
    (void)image::select_image(*ar, "");
    (void)image::select_image(*ar, "@0");
    (void)image::describe_choices(*ar);
    archive::ScanOptions scan;
    scan.walk_tar = true;
    scan.diff_id = true;
    scan.raw_digest = digest::Algorithm::sha256;
    scan.max_layer_size = 64 << 20;
    for (const auto& img : ar->images) {
        (void)img.platform();
        (void)image::layer_facts(*ar, image::layers_of(img), scan, 1);
    }
    return 0;
}
