#include "query/export.hpp"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "archive/layer_tar.hpp"
#include "query/merged.hpp"
#include "query/notes.hpp"

namespace tarsier::query {

using util::ErrorKind;
using util::fail;

namespace {

class TarExport final : public MergedWriter {
public:
    explicit TarExport(archive::TarWriter& tar) : m_tar(tar) {}
    util::Result<void> write(const MergedEntry& e, io::Reader* data) override {
        if (auto h = m_tar.header(e.header, e.xattrs); !h) return h;
        ++m_entries;
        if (!data) return {};
        if (auto span = data->file_span(); span && span->length == e.header.size) return m_tar.data_from(*span);
        std::uint64_t left = e.header.size;
        while (left > 0) {
            auto n = data->read(std::span(m_buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(m_buf.size(), left))));
            if (!n) return n.failure();
            if (*n == 0) return fail(ErrorKind::truncated, e.header.path, "the layer ends inside this file's data");
            if (auto w = m_tar.data(std::span<const std::uint8_t>(m_buf.data(), *n)); !w) return w;
            left -= *n;
        }
        return {};
    }
    [[nodiscard]] std::uint64_t entries() const { return m_entries; }

private:
    archive::TarWriter& m_tar;
    std::vector<std::uint8_t> m_buf = std::vector<std::uint8_t>(1 << 20);
    std::uint64_t m_entries = 0;
};

util::Error write_error(int err) { return util::make_error(ErrorKind::unreadable, "output", std::strerror(err)); }

/// Copies `in` to `fd`, or through `tar` (raw, compressed) when given.
util::Result<void> copy_layer(io::Reader& in, int fd, archive::TarWriter* tar, const std::string& where) {
    std::vector<std::uint8_t> buf(1 << 20);
    archive::TarHeader whole;
    if (tar)
        if (auto h = tar->header(whole, {}); !h) return h;
    for (;;) {
        auto n = in.read(buf);
        if (!n) return fail(n.error().at(where));
        if (*n == 0) break;
        if (tar) {
            if (auto w = tar->data(std::span<const std::uint8_t>(buf.data(), *n)); !w) return w;
            continue;
        }
        for (std::size_t done = 0; done < *n;) {
            auto w = ::write(fd, buf.data() + done, *n - done);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return fail(write_error(errno));
            done += static_cast<std::size_t>(w);
        }
    }
    return {};
}

util::Result<ExportReport> export_layer(const image::Archive& ar, const image::Image& img, const ExportOptions& options,
                                        int fd) {
    auto ids = layer_ids(ar, img);
    auto chosen = image::select_layer(ids, options.layer_only);
    if (!chosen) return chosen.failure();
    if (!*chosen) return fail(ErrorKind::usage, "--layer-only", "no layer given");
    const auto& layer = ar.layers[img.layers[**chosen].layer];
    std::string where = image::layer_label(ids[**chosen], layer.entry);
    if (layer.entry.empty()) return fail(ErrorKind::malformed, where, "absent: " + layer.absent_reason);
    auto blob = ar.container->find(layer.entry);
    if (!blob) return fail(blob.error().at(where));
    if (!*blob) return fail(ErrorKind::malformed, where, "the layer blob vanished");
    auto bytes = archive::LayerBytes::open(*ar.container, **blob);
    if (!bytes) return fail(bytes.error().at(where));
    std::unique_ptr<archive::TarWriter> tar;
    if (options.compression != archive::WriteCompression::none) {
        auto t = archive::TarWriter::open(fd, options.compression, true);
        if (!t) return t.failure();
        tar = std::move(*t);
    }
    if (auto c = copy_layer(**bytes, fd, tar.get(), where); !c) return c.failure();
    if (tar)
        if (auto f = tar->finish(); !f) return f.failure();
    ExportReport rep;
    rep.findings = notes_of(ar, {});
    return rep;
}

}  // namespace

util::Result<ExportReport> export_tar(const image::Archive& ar, const image::Image& img, const ExportOptions& options,
                                      int fd) {
    if (!options.layer_only.empty()) return export_layer(ar, img, options, fd);
    auto plan = plan_merged(ar, img, MergedOptions{options.layer, {}, options.read});
    if (!plan) return plan.failure();
    auto tar = archive::TarWriter::open(fd, options.compression);
    if (!tar) return tar.failure();
    TarExport out(**tar);
    if (auto w = write_merged(ar, img, *plan, out); !w) return w.failure();
    if (auto f = (*tar)->finish(); !f) return f.failure();
    ExportReport rep;
    rep.entries = out.entries();
    rep.findings = std::move(plan->findings);
    return rep;
}

}  // namespace tarsier::query
