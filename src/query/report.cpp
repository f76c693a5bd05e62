#include "query/report.hpp"

#include <cstdio>
#include <future>
#include <thread>

#include "digest/digest.hpp"
#include "query/audit.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"
#include "query/waste.hpp"
#include "verify/verify.hpp"

namespace tarsier::query {

namespace {

/// SHA-256 and size of a regular file; nullopt for anything else (a stream, a directory)
/// or when it cannot be read.
struct FileHash {
    std::string sha256;
    std::optional<std::uint64_t> size;
};

FileHash hash_file(const std::string& path) {
    FileHash out;
    if (path == "-") return out;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return out;
    digest::Hasher h;
    std::vector<char> buf(1 << 20);
    std::uint64_t total = 0;
    bool ok = true;
    for (;;) {
        std::size_t n = std::fread(buf.data(), 1, buf.size(), f);
        if (n > 0) {
            h.update(std::string_view(buf.data(), n));
            total += n;
        }
        if (n < buf.size()) {
            ok = std::ferror(f) == 0;  // a directory fails here (EISDIR)
            break;
        }
    }
    std::fclose(f);
    if (ok) {
        out.sha256 = h.finish();
        out.size = total;
    }
    return out;
}

std::string base_name(const std::string& path) {
    if (path == "-") return "standard input";
    std::string p = path;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    auto slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

/// The layer of `ids` a verify check is about: "layer N of ..." subjects, or a digest
/// of the layer as the expected value.
std::optional<std::size_t> layer_of(const verify::Check& c, const std::vector<LayerRow>& rows,
                                    const std::string& label) {
    for (const auto& r : rows) {
        if (c.subject == "layer " + std::to_string(r.position) + " of " + label) return r.position;
        if (!r.digest.empty() && (c.expected == r.digest || c.subject == "blob " + digest::short_digest(r.digest)))
            return r.position;
    }
    return std::nullopt;
}

/// How verify names an image in its subjects.
std::string verify_label(const image::Image& img) {
    if (!img.references.empty()) return img.references.front().str();
    if (img.id.empty()) return "the bare layer";
    return digest::short_digest(img.id);
}

}  // namespace

util::Result<ReportPage> report(const image::Archive& ar, const image::Image& img, const ReportOptions& options) {
    ReportPage page;
    page.image = &img;
    page.archive.path = ar.container->path();
    page.archive.name = base_name(page.archive.path);
    page.archive.format = std::string(image::to_string(ar.format));
    // The archive's own digest is a read of the whole file: on a second thread, beside
    // the layer scans (both find the file in the page cache).
    FileHash file;
    std::thread hasher([&] { file = hash_file(page.archive.path); });

    // The one pass: every layer blob scanned for everything below; the queries after it
    // find their facts in the container's cache.
    auto read = read_layers(ar, img, options.read, kReportNeeds);
    page.layers = layers(ar, img, LayersOptions{.estimate_download = false, .read = options.read});
    verify::VerifyOptions vo;
    vo.jobs = job_count(options.read);
    vo.platform = options.read.platform;
    vo.platform_explicit = options.read.platform_explicit;
    page.verify = verify::verify_resolved(ar, vo);
    const std::string label = verify_label(img);
    for (const auto& c : page.verify.checks) page.verify_layer.push_back(layer_of(c, page.layers.rows, label));

    // waste and audit each walk every index again: beside changes, on threads of their own
    // (they only read the indexes and the cached scans).
    WasteOptions wo;
    wo.read = options.read;
    auto wasted = std::async(std::launch::async, [&] { return waste(ar, img, wo); });
    auto audited = std::async(std::launch::async, [&] { return audit_image(ar, img, options.read); });
    auto changed = changes(ar, img, ChangesOptions{.layer = "", .read = options.read});
    auto w = wasted.get();
    auto a = audited.get();
    if (!changed) page.files_error = changed.error();
    else if (!w) page.files_error = w.error();
    else if (!a) page.files_error = a.error();
    else {
        FilesSections files;
        files.changes = std::move(*changed);
        files.waste = std::move(w->report);
        files.audit = std::move(a->report);
        for (const auto& f : files.audit.findings)
            if (f.config_key.starts_with("Env/")) files.secret_env.insert(f.config_key.substr(4));
        page.files = std::move(files);
    }
    page.findings = notes_of(ar, std::move(read.findings));
    hasher.join();
    page.archive.sha256 = std::move(file.sha256);
    page.archive.size = file.size;
    return page;
}

}  // namespace tarsier::query
