#include "query/export.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

#include "archive/layer_tar.hpp"
#include "query/export_stream.hpp"
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

/// Measures what TarExport writes for each path: headers and padded data.
class MeasuredExport final : public MergedWriter {
public:
    explicit MeasuredExport(archive::TarWriter& tar) : m_tar(tar) {}
    util::Result<void> write(const MergedEntry& e, io::Reader* data) override {
        if (auto h = m_tar.header(e.header, e.xattrs); !h) return h;
        return data ? m_tar.measure_data(e.header.size) : util::Result<void>{};
    }

private:
    archive::TarWriter& m_tar;
};

/// Where a plain tar can be written in parts at once: a regular file, not appended to;
/// the offset its descriptor is at.
std::optional<std::uint64_t> positionable(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_APPEND)) return std::nullopt;
    const off_t at = ::lseek(fd, 0, SEEK_CUR);
    if (at < 0) return std::nullopt;
    return static_cast<std::uint64_t>(at);
}

/// Where each layer's part of a plain tar goes, the top layer's first from `start`:
/// measured from the indexes. nullopt when a part cannot be measured (write_layer_headers).
struct Layout {
    std::vector<std::uint64_t> offset, size;  ///< by layer
    std::uint64_t end = 0;                    ///< where the end-of-archive blocks go
};

std::optional<Layout> measure_parts(const MergedPlan& plan, std::uint64_t start) {
    const std::size_t n = plan.feeds.size();
    Layout out{std::vector<std::uint64_t>(n, start), std::vector<std::uint64_t>(n, 0), start};
    for (std::size_t i = n; i-- > 0;) {
        out.offset[i] = out.end;
        if (plan.feeds[i].empty()) continue;
        auto m = archive::TarWriter::open_at(-1, out.end, false, start);
        if (!m) return std::nullopt;
        MeasuredExport measure(**m);
        if (!write_layer_headers(plan, i, measure) || !(*m)->finish()) return std::nullopt;
        out.size[i] = (*m)->written();
        out.end += out.size[i];
    }
    return out;
}

/// The merged tree written into a regular file by `jobs` layers at once, each layer's part
/// where `layout` puts it (a compressed layer is decoded a second time, which is most of
/// export's time, and one layer after another otherwise). The layers `written` marks are
/// there already (stream_parts), with `entries` entries. The bytes are those one pass
/// writes. nullopt when a part did not take what was measured (the file is then cut back
/// to `start`): the caller writes it in one pass.
std::optional<util::Result<std::uint64_t>> export_in_parts(const image::Archive& ar, const image::Image& img, const MergedPlan& plan,
                                                           int fd, std::uint64_t start, unsigned jobs, const Layout& layout,
                                                           const std::vector<bool>& written, std::uint64_t entries) {
    const std::size_t n = plan.feeds.size();
    std::vector<std::unique_ptr<archive::TarWriter>> tars(n);
    std::vector<std::unique_ptr<TarExport>> parts(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (plan.feeds[i].empty() || written[i]) continue;
        auto t = archive::TarWriter::open_at(fd, layout.offset[i], false, start);
        if (!t) return util::Result<std::uint64_t>(t.failure());
        tars[i] = std::move(*t);
        parts[i] = std::make_unique<TarExport>(*tars[i]);
    }
    auto done = write_merged_layers(ar, img, plan, [&](std::size_t i) -> MergedWriter& { return *parts[i]; }, jobs, nullptr,
                                    &written);
    if (!done) return util::Result<std::uint64_t>(done.failure());
    bool as_measured = true;
    for (std::size_t i = 0; i < n; ++i) {
        if (!tars[i]) continue;
        if (auto f = tars[i]->finish(); !f) return util::Result<std::uint64_t>(f.failure());
        as_measured = as_measured && tars[i]->written() == layout.size[i];
        entries += parts[i]->entries();
    }
    if (!as_measured) {
        if (::ftruncate(fd, static_cast<off_t>(start)) != 0) return util::Result<std::uint64_t>(fail(write_error(errno)));
        return std::nullopt;
    }
    auto end = archive::TarWriter::open_at(fd, layout.end, true, start);  // the end of archive, whole records
    if (!end) return util::Result<std::uint64_t>(end.failure());
    if (auto f = (*end)->finish(); !f) return util::Result<std::uint64_t>(f.failure());
    // Where one pass leaves the descriptor; nothing after it (a part streamed and then
    // not kept may have reached further).
    const auto stop = static_cast<off_t>(layout.end + (*end)->written());
    struct stat st {};
    if (::fstat(fd, &st) != 0 || (st.st_size > stop && ::ftruncate(fd, stop) != 0) || ::lseek(fd, stop, SEEK_SET) < 0)
        return util::Result<std::uint64_t>(fail(write_error(errno)));
    return util::Result<std::uint64_t>(entries);
}

/// The parts stream_parts writes into a regular file at `start` before the plan (none when
/// --layer cannot be told before the layers are read).
std::vector<StreamedPart> stream_before_plan(const image::Archive& ar, const image::Image& img, const ExportOptions& options,
                                             int fd, std::uint64_t start) {
    auto early = preselect(ar, img, options.layer);
    if (img.layers.empty() || !early || !*early) return {};
    const std::size_t top = (**early).value_or(img.layers.size() - 1);
    return stream_parts(ar, img, top, options.read, fd, start, job_count(options.read));
}

/// The plan written into a regular file at `start`: the parts of `streamed` that agree with
/// it kept, the others written in parts. nullopt when it must be written in one pass (the
/// file is then cut back to `start`); else the entries written and the parts kept.
std::optional<util::Result<std::pair<std::uint64_t, std::uint64_t>>> export_to_file(
    const image::Archive& ar, const image::Image& img, const MergedPlan& plan, const std::vector<StreamedPart>& streamed,
    int fd, std::uint64_t start, unsigned jobs) {
    using Done = util::Result<std::pair<std::uint64_t, std::uint64_t>>;
    const std::size_t n = plan.feeds.size();
    auto layout = measure_parts(plan, start);
    std::vector<bool> written(n, false);
    std::uint64_t entries = 0;
    for (std::size_t i = 0; layout && i < n && i < streamed.size(); ++i) {
        written[i] = part_agrees(streamed[i], plan, i, layout->offset[i], layout->size[i]);
        if (written[i]) entries += streamed[i].ordinals.size();
    }
    std::size_t parts = 0;
    for (std::size_t i = 0; i < n; ++i) parts += plan.feeds[i].empty() ? 0 : 1;
    std::optional<util::Result<std::uint64_t>> done;
    if (layout && (parts > 1 || entries > 0)) done = export_in_parts(ar, img, plan, fd, start, jobs, *layout, written, entries);
    if (!done) {
        if (::ftruncate(fd, static_cast<off_t>(start)) != 0 || ::lseek(fd, static_cast<off_t>(start), SEEK_SET) < 0)
            return Done(fail(write_error(errno)));
        return std::nullopt;
    }
    if (!*done) return Done(done->failure());
    return Done(std::pair{**done, static_cast<std::uint64_t>(std::count(written.begin(), written.end(), true))});
}

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
    // A plain tar into a regular file is written in parts, from where the file is.
    const auto position = positionable(fd);
    const bool in_parts = position && options.compression == archive::WriteCompression::none;
    const std::uint64_t start = position.value_or(0);
    std::vector<StreamedPart> streamed;
    if (in_parts) streamed = stream_before_plan(ar, img, options, fd, start);
    auto plan = plan_merged(ar, img, MergedOptions{options.layer, {}, options.read});
    if (!plan) {
        if (!streamed.empty()) {
            [[maybe_unused]] const int cut = ::ftruncate(fd, static_cast<off_t>(start));  // nothing of a failed export
        }
        return plan.failure();
    }
    if (in_parts) {
        if (auto done = export_to_file(ar, img, *plan, streamed, fd, start, job_count(options.read))) {
            if (!*done) return done->failure();
            ExportReport rep;
            rep.entries = (*done)->first;
            rep.streamed_layers = (*done)->second;
            rep.findings = std::move(plan->findings);
            return rep;
        }
    }
    auto tar = archive::TarWriter::open(fd, options.compression);
    if (!tar) return tar.failure();
    TarExport out(**tar);
    if (auto w = write_merged(ar, img, *plan, out, LayerOrder::top_first); !w) return w.failure();
    if (auto f = (*tar)->finish(); !f) return f.failure();
    ExportReport rep;
    rep.entries = out.entries();
    rep.findings = std::move(plan->findings);
    return rep;
}

}  // namespace tarsier::query
