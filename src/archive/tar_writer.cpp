#include "archive/tar_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <optional>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace tarsier::archive {

using util::ErrorKind;
using util::fail;

util::Result<WriteCompression> parse_write_compression(std::string_view name) {
    if (name == "gzip") return WriteCompression::gzip;
    if (name == "zstd") return WriteCompression::zstd;
    if (name == "none" || name.empty()) return WriteCompression::none;
    return fail(ErrorKind::usage, "--compress", fmt::format("'{}' is not gzip, zstd or none", name));
}

namespace {

constexpr std::size_t kBufferSize = 1 << 20;     // small pieces are gathered up to this
constexpr std::size_t kDirectSize = 64 << 10;  // a piece this large goes out as it is
constexpr std::uint64_t kRecordSize = 10240;    // a plain tar ends in whole records, as tar(1) writes them

/// Zeros that stand for data already copied file to file: libarchive is handed these so
/// that it counts the entry's bytes, and Impl::write_cb drops them (with blocking off,
/// libarchive hands every piece of a plain tar on as it is, at the same address).
const std::array<std::uint8_t, 1 << 20> kCopied{};

bool is_copied(const void* p, std::size_t n) {
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    const auto lo = reinterpret_cast<std::uintptr_t>(kCopied.data());
    return at >= lo && at - lo <= kCopied.size() && n <= kCopied.size() - (at - lo);
}

/// One pread(2) of up to `n` bytes at `offset` of `fd` (retried when interrupted): how many
/// it read, 0 at the end of the file.
util::Result<std::size_t> pread_some(int fd, std::uint8_t* p, std::size_t n, std::uint64_t offset) {
    for (;;) {
        ssize_t got = ::pread(fd, p, n, static_cast<off_t>(offset));
        if (got >= 0) return static_cast<std::size_t>(got);
        if (errno != EINTR) return fail(ErrorKind::unreadable, "", std::strerror(errno));
    }
}

/// How the kernel copies a file's bytes to the output, best first.
enum class CopyWay { copy_file_range, sendfile, read_write };

}  // namespace

struct TarWriter::Impl {
    struct ::archive* a = nullptr;
    struct archive_entry* entry = nullptr;
    bool finished = false;
    int fd = -1;
    bool whole_records = false;  // pad the end to a whole record
    std::vector<std::uint8_t> buffer;
    std::uint64_t written = 0;
    std::optional<std::uint64_t> at;  // open_at: where the next byte goes in fd
    std::uint64_t base = 0;           // open_at: the first byte's offset in the stream
    bool measure_only = false;        // open_at with fd -1: count, write nothing
    bool trailer = true;              // false: finish() writes no end of archive
    bool ending = false;              // finish() of a part: libarchive's trailer is dropped
    std::uint64_t copied = 0;  // bytes copied by data_from() that libarchive has yet to hand over as kCopied
    CopyWay way = CopyWay::copy_file_range;
    std::vector<std::uint8_t> copy_buffer;  // CopyWay::read_write
    ~Impl() {
        if (entry) archive_entry_free(entry);
        if (a) archive_write_free(a);
    }
    util::Error error(const std::string& what) const {
        const char* m = archive_error_string(a);
        return util::make_error(ErrorKind::unreadable, "output", fmt::format("{}: {}", what, m ? m : "write failed"));
    }

    /// Writes all of [p, p + n) to the descriptor; errno on failure.
    int write_all(const std::uint8_t* p, std::size_t n) {
        if (measure_only) return 0;
        while (n > 0) {
            ssize_t w = at ? ::pwrite(fd, p, n, static_cast<off_t>(*at)) : ::write(fd, p, n);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return errno;
            if (at) *at += static_cast<std::uint64_t>(w);
            p += w;
            n -= static_cast<std::size_t>(w);
        }
        return 0;
    }
    int flush() {
        int err = write_all(buffer.data(), buffer.size());
        buffer.clear();
        return err;
    }

    // libarchive hands over every piece as it comes (no blocking of its own, which copied
    // every byte once more): headers and padding are gathered, file data goes straight out.
    static la_ssize_t write_cb(struct ::archive* a, void* self_, const void* p, size_t n) {
        auto& self = *static_cast<Impl*>(self_);
        const auto* bytes = static_cast<const std::uint8_t*>(p);
        if (self.ending) return static_cast<la_ssize_t>(n);  // a part's end: no trailer
        if (self.copied >= n && is_copied(p, n)) {  // on the output already
            self.copied -= n;
            self.written += n;
            return static_cast<la_ssize_t>(n);
        }
        int err = 0;
        if (n >= kDirectSize) {
            err = self.flush();
            if (!err) err = self.write_all(bytes, n);
        } else {
            if (self.buffer.size() + n > kBufferSize) err = self.flush();
            self.buffer.insert(self.buffer.end(), bytes, bytes + n);
        }
        if (err) {
            archive_set_error(a, err, "%s", std::strerror(err));
            return -1;
        }
        self.written += n;
        return static_cast<la_ssize_t>(n);
    }
    /// Reads up to `n` bytes at `offset` of `in` into the buffer, as the next output
    /// (a small file: one system call, and written with the pieces around it); 0 when
    /// `in` ends there.
    util::Result<std::size_t> read_in(int in, std::uint64_t offset, std::size_t n) {
        if (buffer.size() + n > kBufferSize)
            if (int err = flush()) return fail(ErrorKind::unreadable, "output", std::strerror(err));
        const std::size_t at = buffer.size();
        buffer.resize(at + n);
        auto got = pread_some(in, buffer.data() + at, n, offset);
        buffer.resize(at + (got ? *got : 0));
        return got;
    }

    /// Copies up to `left` bytes at `offset` of `in` to the output, after the buffer; 0
    /// when `in` ends there.
    util::Result<std::size_t> copy_out(int in, std::uint64_t offset, std::uint64_t left) {
        if (int err = flush()) return fail(ErrorKind::unreadable, "output", std::strerror(err));
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, 1U << 30));
        for (;;) {
            if (way == CopyWay::read_write) {
                copy_buffer.resize(std::min<std::size_t>(want, 1 << 20));
                auto got = pread_some(in, copy_buffer.data(), copy_buffer.size(), offset);
                if (got && *got > 0)
                    if (int err = write_all(copy_buffer.data(), *got))
                        return fail(ErrorKind::unreadable, "output", std::strerror(err));
                return got;
            }
            ssize_t n = -1;
            if (way == CopyWay::copy_file_range) {
                auto from = static_cast<loff_t>(offset);
                auto to = static_cast<loff_t>(at.value_or(0));
                n = ::copy_file_range(in, &from, fd, at ? &to : nullptr, want, 0);
                if (n > 0 && at) *at += static_cast<std::uint64_t>(n);
            } else {
                auto from = static_cast<off_t>(offset);
                n = ::sendfile(fd, in, &from, want);
            }
            if (n >= 0) return static_cast<std::size_t>(n);
            if (errno == EINTR) continue;
            // Not between these two files (a pipe, another file system, an old kernel):
            // the next way. Nothing was copied by a call that failed.
            if (errno == EINVAL || errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EBADF ||
                errno == ESPIPE) {
                // sendfile(2) writes at the descriptor's own offset: not for open_at.
                way = way == CopyWay::copy_file_range && !at ? CopyWay::sendfile : CopyWay::read_write;
                continue;
            }
            return fail(ErrorKind::unreadable, "output", std::strerror(errno));
        }
    }

    /// Tells libarchive of `n` bytes of the entry's data that are not to be written (on
    /// the output already, or only measured): it is handed kCopied, which write_cb counts
    /// and drops.
    util::Result<void> tell_copied(std::uint64_t n) {
        copied += n;
        for (std::uint64_t told = 0; told < n;) {
            const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n - told, kCopied.size()));
            la_ssize_t w = archive_write_data(a, kCopied.data(), k);
            if (w <= 0) return fail(error("cannot write data"));
            told += static_cast<std::uint64_t>(w);
        }
        if (copied != 0) return fail(ErrorKind::unreadable, "output", "the tar writer wrote copied data itself");
        return {};
    }

    static int close_cb(struct ::archive* a, void* self_) {
        auto& self = *static_cast<Impl*>(self_);
        const std::uint64_t end = self.base + self.written;  // records count from the stream's start
        if (self.whole_records && self.trailer && end % kRecordSize != 0) {
            const std::uint64_t pad = kRecordSize - end % kRecordSize;
            self.buffer.resize(self.buffer.size() + pad, 0);
            self.written += pad;
        }
        if (int err = self.flush()) {
            archive_set_error(a, err, "%s", std::strerror(err));
            return ARCHIVE_FATAL;
        }
        return ARCHIVE_OK;
    }
};

TarWriter::TarWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TarWriter::~TarWriter() = default;

util::Result<std::unique_ptr<TarWriter>> TarWriter::open(int fd, WriteCompression compression, bool raw) {
    auto impl = std::make_unique<Impl>();
    impl->a = archive_write_new();
    impl->entry = archive_entry_new();
    if (!impl->a || !impl->entry) return fail(ErrorKind::limit, "output", "out of memory");
    int r = raw ? archive_write_set_format_raw(impl->a) : archive_write_set_format_pax_restricted(impl->a);
    if (r == ARCHIVE_OK) {
        switch (compression) {
            case WriteCompression::none: r = archive_write_add_filter_none(impl->a); break;
            case WriteCompression::gzip:
                r = archive_write_add_filter_gzip(impl->a);
                // No name and no time in the gzip header: the same input gives the same bytes.
                if (r == ARCHIVE_OK) r = archive_write_set_filter_option(impl->a, "gzip", "timestamp", nullptr);
                break;
            case WriteCompression::zstd: r = archive_write_add_filter_zstd(impl->a); break;
        }
    }
    // Written through Impl's own buffer: one write(2) per 10 KiB record, libarchive's default,
    // was 105,000 system calls and two thirds of export's time for a 1 GB tree. A plain tar
    // still ends in whole 10 KiB records as tar(1) writes them; a compressed stream or a
    // raw one ends where its data ends (zeros after a zstd frame are no zstd).
    impl->fd = fd;
    impl->whole_records = !raw && compression == WriteCompression::none;
    impl->buffer.reserve(kBufferSize);
    if (r == ARCHIVE_OK) r = archive_write_set_bytes_per_block(impl->a, 0);
    if (r == ARCHIVE_OK) r = archive_write_open2(impl->a, impl.get(), nullptr, &Impl::write_cb, &Impl::close_cb, nullptr);
    if (r != ARCHIVE_OK) return fail(impl->error("cannot start the output stream"));
    return std::unique_ptr<TarWriter>(new TarWriter(std::move(impl)));
}

util::Result<std::unique_ptr<TarWriter>> TarWriter::open_at(int fd, std::uint64_t offset, bool trailer,
                                                          std::uint64_t stream_start) {
    if (stream_start > offset) return fail(ErrorKind::usage, "output", "a part before the start of its stream");
    auto w = open(fd, WriteCompression::none);
    if (!w) return w;
    auto& s = *(*w)->m_impl;
    s.at = offset;
    s.base = offset - stream_start;
    s.measure_only = fd < 0;
    s.trailer = trailer;
    return w;
}

util::Result<void> TarWriter::header(const TarHeader& h, const std::vector<std::pair<std::string, std::string>>& xattrs) {
    auto* e = m_impl->entry;
    archive_entry_clear(e);
    archive_entry_copy_pathname(e, h.path.c_str());
    unsigned type = AE_IFREG;
    switch (h.type) {
        case '1': archive_entry_copy_hardlink(e, h.link.c_str()); break;
        case '2': type = AE_IFLNK; archive_entry_copy_symlink(e, h.link.c_str()); break;
        case '3': type = AE_IFCHR; break;
        case '4': type = AE_IFBLK; break;
        case '5': type = AE_IFDIR; break;
        case '6': type = AE_IFIFO; break;
        default: break;
    }
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, static_cast<mode_t>(h.mode & 07777));
    archive_entry_set_uid(e, h.uid);
    archive_entry_set_gid(e, h.gid);
    archive_entry_set_mtime(e, h.mtime, 0);
    archive_entry_set_size(e, h.type == '0' ? static_cast<la_int64_t>(h.size) : 0);
    if (h.type == '3' || h.type == '4') {
        archive_entry_set_rdevmajor(e, h.dev_major);
        archive_entry_set_rdevminor(e, h.dev_minor);
    }
    for (const auto& [name, value] : xattrs) archive_entry_xattr_add_entry(e, name.c_str(), value.data(), value.size());
    if (archive_write_header(m_impl->a, e) < ARCHIVE_WARN) return fail(m_impl->error("cannot write entry " + h.path));
    return {};
}

util::Result<void> TarWriter::data(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
        la_ssize_t n = archive_write_data(m_impl->a, bytes.data(), bytes.size());
        if (n <= 0) return fail(m_impl->error("cannot write data"));
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

util::Result<void> TarWriter::data_from(const io::FileSpan& span) {
    auto& s = *m_impl;
    std::uint64_t offset = span.offset, left = span.length;
    if (!s.whole_records) {  // compressed or raw: libarchive must see the bytes
        std::vector<std::uint8_t> buf(static_cast<std::size_t>(std::min<std::uint64_t>(left, 1 << 20)));
        while (left > 0) {
            auto n = pread_some(span.fd, buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), left)), offset);
            if (!n) return n.failure();
            if (*n == 0) return fail(ErrorKind::truncated, "", "the file ends inside this entry's data");
            if (auto w = data(std::span<const std::uint8_t>(buf.data(), *n)); !w) return w;
            offset += *n;
            left -= *n;
        }
        return {};
    }
    while (left > 0) {
        auto n = left < kDirectSize ? s.read_in(span.fd, offset, static_cast<std::size_t>(left)) : s.copy_out(span.fd, offset, left);
        if (!n) return n.failure();
        if (*n == 0) return fail(ErrorKind::truncated, "", "the file ends inside this entry's data");
        offset += *n;
        left -= *n;
        if (auto told = s.tell_copied(*n); !told) return told;
    }
    return {};
}

util::Result<void> TarWriter::measure_data(std::uint64_t n) {
    auto& s = *m_impl;
    if (!s.measure_only) return fail(ErrorKind::usage, "output", "measure_data on a writer that writes");
    return s.tell_copied(n);
}

util::Result<void> TarWriter::finish() {
    auto& s = *m_impl;
    if (s.finished) return {};
    s.finished = true;
    if (!s.trailer) {
        // The last entry's padding, then nothing of libarchive's end of archive.
        if (archive_write_finish_entry(s.a) != ARCHIVE_OK) return fail(s.error("cannot end the last entry"));
        s.ending = true;
    }
    if (archive_write_close(s.a) != ARCHIVE_OK) return fail(s.error("cannot end the output stream"));
    return {};
}

std::uint64_t TarWriter::written() const { return m_impl->written; }

}  // namespace tarsier::archive
