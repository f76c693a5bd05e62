#include "archive/tar_writer.hpp"

#include <archive.h>
#include <archive_entry.h>

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

struct TarWriter::Impl {
    struct ::archive* a = nullptr;
    struct archive_entry* entry = nullptr;
    bool finished = false;
    ~Impl() {
        if (entry) archive_entry_free(entry);
        if (a) archive_write_free(a);
    }
    util::Error error(const std::string& what) const {
        const char* m = archive_error_string(a);
        return util::make_error(ErrorKind::unreadable, "output", fmt::format("{}: {}", what, m ? m : "write failed"));
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
    // Written in blocks of 100 records (1000 KiB): one write(2) per 10 KiB record, libarchive's
    // default, was 105,000 system calls and two thirds of export's time for a 1 GB tree.
    // A plain tar still ends in whole 10 KiB records as tar(1) writes them; a compressed
    // stream or a raw one ends where its data ends (zeros after a zstd frame are no zstd).
    if (r == ARCHIVE_OK) r = archive_write_set_bytes_per_block(impl->a, 100 * 10240);
    if (r == ARCHIVE_OK)
        r = archive_write_set_bytes_in_last_block(impl->a, raw || compression != WriteCompression::none ? 1 : 10240);
    if (r == ARCHIVE_OK) r = archive_write_open_fd(impl->a, fd);
    if (r != ARCHIVE_OK) return fail(impl->error("cannot start the output stream"));
    return std::unique_ptr<TarWriter>(new TarWriter(std::move(impl)));
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

util::Result<void> TarWriter::finish() {
    if (m_impl->finished) return {};
    m_impl->finished = true;
    if (archive_write_close(m_impl->a) != ARCHIVE_OK) return fail(m_impl->error("cannot end the output stream"));
    return {};
}

}  // namespace tarsier::archive
