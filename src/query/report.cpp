#include "query/report.hpp"

#include "digest/digest.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"
#include "query/package_walk.hpp"
#include "verify/verify.hpp"

namespace tarsier::query {

namespace {

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

/// Whether the image has anything for a packages section: a database read at some layer,
/// or a finding about one (a database deleted by the top layer leaves only that).
bool has_packages(const PackagesReport& p) {
    if (!p.databases.empty() || !p.packages.empty() || !p.package_findings.empty()) return true;
    for (const auto& l : p.per_layer)
        if (!l.changes.empty() || !l.problems.empty()) return true;
    return false;
}

/// The filesystem sections over ONE merged tree: each layer is applied once, and the
/// waste (before it is applied, from the tree below it), the audit and the packages
/// (after) are counted from it, as `check` does for its audit and waste. Returns why the
/// sections are absent, or nullopt.
std::optional<util::Error> files_sections(const image::Archive& ar, const image::Image& img, const ImageLayers& read,
                                          const ReadOptions& read_options, ReportPage& page) {
    auto indexes = layer_indexes(ar, img, read);
    if (!indexes) return indexes.error();
    FilesSections files;
    auto& tree = files.changes.tree;
    fs::WasteCounter waste(false);
    audit::LayerAuditor auditor(read.ids);
    PackageWalk packages(tree, read.ids);
    packages.set_link_reader(archive_link_reader(ar, img, read_options));
    std::vector<fs::LayerChanges> changes;
    changes.reserve(indexes->size());
    for (std::size_t i = 0; i < indexes->size(); ++i) {
        const auto& index = *(*indexes)[i];
        waste.add_layer(index, i, tree);
        changes.push_back(tree.apply((*indexes)[i], i));
        auditor.add_layer(index, i, changes.back(), tree);
        packages.add_layer((*indexes)[i], i, changes.back());
    }
    auto pkgs = packages.finish(changes, *indexes, false, false);
    if (has_packages(pkgs)) files.packages = std::move(pkgs);
    const bool has_config = ar.format != image::ArchiveFormat::bare_layer;
    files.audit = auditor.finish(tree, has_config ? &img.config.config : nullptr);
    files.waste = waste.finish();
    for (std::size_t i = 0; i < changes.size(); ++i)
        files.changes.layers.push_back({read.ids[i], std::move(changes[i])});
    for (const auto& f : files.audit.findings)
        if (f.config_key.starts_with("Env/")) files.secret_env.insert(f.config_key.substr(4));
    page.files = std::move(files);
    return std::nullopt;
}

}  // namespace

util::Result<ReportPage> report(const image::Archive& ar, const image::Image& img, const ReportOptions& options) {
    ReportPage page;
    page.image = &img;
    page.archive.path = ar.container->path();
    page.archive.name = base_name(page.archive.path);
    page.archive.format = std::string(image::to_string(ar.format));
    // The archive's own digest came with the one read of the file (kReportNeeds).
    page.archive.sha256 = ar.container->input_sha256();
    page.archive.size = ar.container->input_size();

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

    page.files_error = files_sections(ar, img, read, options.read, page);
    page.findings = notes_of(ar, std::move(read.findings));
    return page;
}

}  // namespace tarsier::query
