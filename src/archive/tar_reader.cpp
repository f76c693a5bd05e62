#include "archive/tar_reader.hpp"

#include "io/decompress.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

namespace tarsier::archive {

using util::ErrorKind;
using util::fail;
using util::Result;

struct TarReader::Impl {
    struct ::archive* a = nullptr;
    // Source: either a Reader or a range of a seekable file.
    io::Reader* reader = nullptr;
    const io::FileSource* file = nullptr;
    std::uint64_t pos = 0, end = 0;
    std::size_t next_read = 0;  // adaptive read size for the file range
    std::vector<std::uint8_t> buffer;
    std::optional<util::Error> source_error;  // an error raised by the source, not libarchive
    std::uint64_t data_offset = 0;
    bool eof = false;
    struct archive_entry* current = nullptr;  // the entry next() returned last
    // The stream's first bytes, to name its compression when libarchive fails without a message.
    std::array<std::uint8_t, 8> head{};
    std::size_t head_len = 0;

    void keep_head(const std::uint8_t* p, std::size_t n) {
        while (head_len < head.size() && n > 0) {
            head[head_len++] = *p++;
            --n;
        }
    }

    ~Impl() {
        if (a) archive_read_free(a);
    }

    static la_ssize_t read_cb(struct ::archive* a, void* self_, const void** out) {
        auto* self = static_cast<Impl*>(self_);
        if (self->reader) {
            auto n = self->reader->read(self->buffer);
            if (!n) {
                self->source_error = n.error();
                archive_set_error(a, EIO, "%s", n.error().what.c_str());
                return -1;
            }
            self->keep_head(self->buffer.data(), *n);
            *out = self->buffer.data();
            return static_cast<la_ssize_t>(*n);
        }
        if (self->pos >= self->end) return 0;
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(self->next_read, self->end - self->pos));
        auto n = self->file->pread(self->pos, std::span(self->buffer.data(), want));
        if (!n) {
            self->source_error = n.error();
            archive_set_error(a, EIO, "%s", n.error().what.c_str());
            return -1;
        }
        if (*n == 0) {
            self->source_error = util::make_error(ErrorKind::truncated, "", "file ends inside the archive");
            archive_set_error(a, EIO, "file ends inside the archive");
            return -1;
        }
        self->keep_head(self->buffer.data(), *n);
        self->pos += *n;
        // Sequential reading grows the request; a skip shrinks it again (headers only).
        self->next_read = std::min<std::size_t>(self->next_read * 2, self->buffer.size());
        *out = self->buffer.data();
        return static_cast<la_ssize_t>(*n);
    }

    static la_int64_t skip_cb(struct ::archive*, void* self_, la_int64_t request) {
        auto* self = static_cast<Impl*>(self_);
        if (request <= 0) return 0;
        auto n = std::min<std::uint64_t>(static_cast<std::uint64_t>(request), self->end - self->pos);
        self->pos += n;
        self->next_read = 2048;
        return static_cast<la_int64_t>(n);
    }

    util::Error error(const char* fallback) const {
        if (source_error) return *source_error;
        const char* msg = archive_error_string(a);
        auto compression = io::sniff(std::span(head.data(), head_len));
        if (!msg && compression != io::Compression::none) {
            // libarchive's decompressing filters fail without a message where the stream
            // ends before the member's trailer (gzip: CRC-32 and size).
            return util::make_error(ErrorKind::truncated, "",
                                    fmt::format("{} stream ends before its trailer", io::to_string(compression)));
        }
        std::string what = msg ? msg : fallback;
        ErrorKind kind = ErrorKind::malformed;
        if (what.find("runcated") != std::string::npos || what.find("premature") != std::string::npos ||
            what.find("Premature") != std::string::npos)
            kind = ErrorKind::truncated;
        return util::make_error(kind, "", what);
    }

    /// The error for a stream libarchive cannot open: the source's own error (a corrupt
    /// gzip or zstd stream, an I/O error) as it is, otherwise "not a tar archive".
    util::Error open_error() const {
        if (source_error) return *source_error;
        auto e = error("cannot open archive");
        if (e.kind == ErrorKind::malformed) e.what = "not a tar archive (" + e.what + ")";
        return e;
    }
};

TarReader::TarReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TarReader::~TarReader() = default;

namespace {

Result<std::unique_ptr<TarReader::Impl>> make_impl(bool decompress) {
    auto impl = std::make_unique<TarReader::Impl>();
    impl->a = archive_read_new();
    if (!impl->a) return fail(ErrorKind::unreadable, "", "out of memory");
    archive_read_support_format_tar(impl->a);
    // An empty stream is an empty layer (a 0-byte layer.tar exists in the wild).
    archive_read_support_format_empty(impl->a);
    if (decompress) {
        archive_read_support_filter_gzip(impl->a);
        archive_read_support_filter_bzip2(impl->a);
        archive_read_support_filter_xz(impl->a);
        archive_read_support_filter_zstd(impl->a);
    }
    return impl;
}

}  // namespace

Result<std::unique_ptr<TarReader>> TarReader::open(io::Reader& source, bool decompress) {
    auto impl = make_impl(decompress);
    if (!impl) return impl.failure();
    auto& self = **impl;
    self.reader = &source;
    self.buffer.resize(256 * 1024);
    archive_read_set_callback_data(self.a, &self);
    archive_read_set_read_callback(self.a, &Impl::read_cb);
    if (archive_read_open1(self.a) != ARCHIVE_OK) return fail(self.open_error());
    return std::unique_ptr<TarReader>(new TarReader(std::move(*impl)));
}

Result<std::unique_ptr<TarReader>> TarReader::open_range(const io::FileSource& file, std::uint64_t offset,
                                                         std::uint64_t length) {
    auto impl = make_impl(false);
    if (!impl) return impl.failure();
    auto& self = **impl;
    self.file = &file;
    self.pos = offset;
    self.end = offset + length;
    self.buffer.resize(1024 * 1024);
    self.next_read = 2048;
    archive_read_set_callback_data(self.a, &self);
    archive_read_set_read_callback(self.a, &Impl::read_cb);
    archive_read_set_skip_callback(self.a, &Impl::skip_cb);
    if (archive_read_open1(self.a) != ARCHIVE_OK) return fail(self.open_error());
    return std::unique_ptr<TarReader>(new TarReader(std::move(*impl)));
}

Result<bool> TarReader::next(TarHeader& h) {
    auto& self = *m_impl;
    if (self.eof) return false;
    struct archive_entry* e = nullptr;
    int r = archive_read_next_header(self.a, &e);
    if (r == ARCHIVE_EOF) {
        self.eof = true;
        return false;
    }
    // ARCHIVE_RETRY (a header whose checksum does not match, "Damaged tar archive") would
    // hand back an empty entry and go on after it: the entry would vanish without a word.
    if (r < ARCHIVE_WARN || r == ARCHIVE_RETRY) return fail(self.error("cannot read tar header"));
    self.data_offset = static_cast<std::uint64_t>(archive_filter_bytes(self.a, 0));
    self.current = e;
    const char* p = archive_entry_pathname(e);
    if (!p) p = archive_entry_pathname_utf8(e);
    h.path = p ? p : "";
    const char* hl = archive_entry_hardlink(e);
    const char* sl = archive_entry_symlink(e);
    if (!hl && archive_entry_hardlink_utf8(e)) hl = archive_entry_hardlink_utf8(e);
    if (!sl && archive_entry_symlink_utf8(e)) sl = archive_entry_symlink_utf8(e);
    h.link.clear();
    h.size = archive_entry_size_is_set(e) ? static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(e))) : 0;
    if (hl) {
        h.type = '1';
        h.link = hl;
    } else {
        switch (archive_entry_filetype(e)) {
            case AE_IFDIR: h.type = '5'; break;
            case AE_IFLNK: h.type = '2'; if (sl) h.link = sl; break;
            case AE_IFCHR: h.type = '3'; break;
            case AE_IFBLK: h.type = '4'; break;
            case AE_IFIFO: h.type = '6'; break;
            default: h.type = '0'; break;
        }
    }
    h.mode = static_cast<std::uint32_t>(archive_entry_perm(e));
    h.uid = archive_entry_uid(e);
    h.gid = archive_entry_gid(e);
    h.mtime = archive_entry_mtime(e);
    h.dev_major = static_cast<std::uint32_t>(archive_entry_rdevmajor(e));
    h.dev_minor = static_cast<std::uint32_t>(archive_entry_rdevminor(e));
    h.sparse = archive_entry_sparse_reset(e) > 0;
    h.xattrs.clear();
    if (archive_entry_xattr_reset(e) > 0) {
        const char* name = nullptr;
        const void* value = nullptr;
        std::size_t size = 0;
        while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
            if (name) h.xattrs.emplace_back(name);
        std::sort(h.xattrs.begin(), h.xattrs.end());
    }
    return true;
}

std::vector<std::pair<std::string, std::string>> TarReader::xattr_values() const {
    std::vector<std::pair<std::string, std::string>> out;
    struct archive_entry* e = m_impl->current;
    if (!e || archive_entry_xattr_reset(e) <= 0) return out;
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
        if (name) out.emplace_back(name, std::string(static_cast<const char*>(value), value ? size : 0));
    std::sort(out.begin(), out.end());
    return out;
}

Result<std::size_t> TarReader::read_data(std::span<std::uint8_t> buf) {
    auto& self = *m_impl;
    la_ssize_t n = archive_read_data(self.a, buf.data(), buf.size());
    if (n < 0) return fail(self.error("cannot read entry data"));
    return static_cast<std::size_t>(n);
}

Result<bool> TarReader::read_block(std::span<const std::uint8_t>& block) {
    auto& self = *m_impl;
    const void* data = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    int r = archive_read_data_block(self.a, &data, &size, &offset);
    if (r == ARCHIVE_EOF) return false;
    if (r != ARCHIVE_OK) return fail(self.error("cannot read entry data"));
    block = std::span(static_cast<const std::uint8_t*>(data), size);
    return true;
}

std::uint64_t TarReader::data_offset() const { return m_impl->data_offset; }

std::uint64_t TarReader::raw_bytes() const {
    auto n = archive_filter_bytes(m_impl->a, -1);
    return n > 0 ? static_cast<std::uint64_t>(n) : 0;
}

std::string TarReader::compression() const {
    int n = archive_filter_count(m_impl->a);
    if (n <= 1) return "";
    const char* name = archive_filter_name(m_impl->a, 0);
    return name ? name : "";
}

}  // namespace tarsier::archive
