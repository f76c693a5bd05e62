#pragma once
// Builds tar archives in memory for tests with libarchive's writer (an independent
// implementation from the reader under test), and gzip-compresses with zlib.

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace tarsier::test {

class TarBuilder {
public:
    enum class Format { pax_restricted, gnu, ustar };
    explicit TarBuilder(Format format = Format::pax_restricted) {
        m_a = archive_write_new();
        if (format == Format::gnu) archive_write_set_format_gnutar(m_a);
        else if (format == Format::ustar) archive_write_set_format_ustar(m_a);
        else archive_write_set_format_pax_restricted(m_a);
        archive_write_set_bytes_per_block(m_a, 10240);
        archive_write_open(m_a, this, nullptr, &TarBuilder::write_cb, nullptr);
    }
    ~TarBuilder() {
        if (m_a) archive_write_free(m_a);
    }
    TarBuilder& file(const std::string& name, const std::string& data, int mode = 0644) {
        return add(name, AE_IFREG, data, "", mode);
    }
    TarBuilder& dir(const std::string& name) { return add(name, AE_IFDIR, "", "", 0755); }
    TarBuilder& symlink(const std::string& name, const std::string& target) { return add(name, AE_IFLNK, "", target, 0777); }
    TarBuilder& hardlink(const std::string& name, const std::string& target) {
        ::archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.c_str());
        archive_entry_set_hardlink(e, target.c_str());
        archive_entry_set_size(e, 0);
        archive_write_header(m_a, e);
        archive_entry_free(e);
        return *this;
    }
    /// Closes the archive (end-of-archive blocks, padding) and returns its bytes.
    std::string finish() {
        archive_write_close(m_a);
        return m_out;
    }

private:
    TarBuilder& add(const std::string& name, unsigned type, const std::string& data, const std::string& link, int mode) {
        ::archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.c_str());
        archive_entry_set_filetype(e, type);
        archive_entry_set_perm(e, static_cast<mode_t>(mode));
        archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
        archive_entry_set_mtime(e, 1700000000, 0);
        if (!link.empty()) archive_entry_set_symlink(e, link.c_str());
        archive_write_header(m_a, e);
        if (!data.empty()) archive_write_data(m_a, data.data(), data.size());
        archive_entry_free(e);
        return *this;
    }
    static la_ssize_t write_cb(::archive*, void* self, const void* buf, size_t n) {
        static_cast<TarBuilder*>(self)->m_out.append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
    }
    ::archive* m_a = nullptr;
    std::string m_out;
};

/// gzip-compresses `data` (one member).
inline std::string gzip(const std::string& data, int level = 6) {
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&z, data.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

/// Writes `data` to a fresh temporary file and returns its path; removed by the caller.
inline std::string temp_file(const std::string& data) {
    char path[] = "/tmp/tarsier-test-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("mkstemp");
    FILE* f = fdopen(fd, "wb");
    std::fwrite(data.data(), 1, data.size(), f);
    std::fclose(f);
    return path;
}

}  // namespace tarsier::test
