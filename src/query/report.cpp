#include "query/report.hpp"

#include <functional>
#include <future>

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

/// Runs `side` on a thread of its own while `main` runs here (both when `jobs` allows), and
/// rethrows what either threw.
void side_by_side(unsigned jobs, const std::function<void()>& side, const std::function<void()>& main) {
    if (jobs < 2) {
        side();
        main();
        return;
    }
    auto done = std::async(std::launch::async, side);
    main();
    done.get();
}

/// The filesystem sections over ONE merged tree: each layer is applied once, and the
/// waste (before it is applied, from the tree below it), the audit and the packages
/// (after) are counted from it, as `check` does for its audit and waste. Each layer's index
/// comes from `index_of`, base first (it may wait for a scan that is under way); nullopt
/// when it gives none. `used` gets the indexes the sections were built from.
///
/// Only apply() writes the tree: what reads it runs side by side between two applies (the
/// audit and packages of one layer beside the wait for the next layer and its waste; the
/// base layer's waste, which counts from an empty tree, beside its apply).
std::optional<FilesSections> build_files(const image::Archive& ar, const image::Image& img, std::vector<image::LayerId> ids,
                                         const audit::IndexSource& index_of, const ReadOptions& read_options,
                                         std::vector<std::shared_ptr<const archive::LayerIndex>>& used) {
    FilesSections files;
    auto& tree = files.changes.tree;
    const unsigned jobs = job_count(read_options);
    fs::WasteCounter waste(false);
    audit::LayerAuditor auditor(ids);
    PackageWalk packages(tree, ids);
    packages.set_link_reader(archive_link_reader(ar, img, read_options));
    packages.set_file_digests(false);  // as `tarsier packages` lists them (kReportNeeds)
    std::vector<fs::LayerChanges> changes;
    changes.reserve(ids.size());
    used.clear();
    auto audit_layer = [&](std::size_t i) {
        auditor.add_layer(*used[i], i, changes[i], tree);
        packages.add_layer(used[i], i, changes[i]);
    };
    const fs::MergedTree nothing;  // below the base layer
    for (std::size_t i = 0; i < ids.size(); ++i) {
        std::shared_ptr<const archive::LayerIndex> index;
        if (i == 0) {
            index = index_of(i);
            if (!index) return std::nullopt;
            used.push_back(index);
            side_by_side(jobs, [&] { waste.add_layer(*index, i, nothing); }, [&] { changes.push_back(tree.apply(index, i)); });
            continue;
        }
        side_by_side(jobs, [&] { audit_layer(i - 1); }, [&] {
            index = index_of(i);
            if (index) waste.add_layer(*index, i, tree);
        });
        if (!index) return std::nullopt;
        used.push_back(index);
        changes.push_back(tree.apply(index, i));
    }
    if (!changes.empty()) audit_layer(changes.size() - 1);
    auto pkgs = packages.finish(changes, used, false, false);
    if (has_packages(pkgs)) files.packages = std::move(pkgs);
    const bool has_config = ar.format != image::ArchiveFormat::bare_layer;
    side_by_side(jobs, [&] { files.waste = waste.finish(); },
                 [&] { files.audit = auditor.finish(tree, has_config ? &img.config.config : nullptr); });
    for (std::size_t i = 0; i < changes.size(); ++i) files.changes.layers.push_back({ids[i], std::move(changes[i])});
    for (const auto& f : files.audit.findings)
        if (f.config_key.starts_with("Env/")) files.secret_env.insert(f.config_key.substr(4));
    return files;
}

/// The filesystem sections built while verify scans the blobs (VerifyOptions::alongside),
/// each layer as soon as its scan ends: what `indexes` were used, to be checked against
/// the layers read after.
struct Overlap {
    std::optional<FilesSections> files;
    std::vector<std::shared_ptr<const archive::LayerIndex>> indexes;
};

/// `want`: what verify's scan of each layer holds (layer_scan of kReportNeeds).
std::function<void(const image::Archive&)> build_alongside(const image::Image& img, const ReadOptions& read_options,
                                                           const archive::ScanOptions& want, Overlap& out) {
    return [&img, &read_options, &want, &out](const image::Archive& ar) {
        auto index_of = [&](std::size_t i) { return await_layer_index(ar, img, i, want); };
        out.files = build_files(ar, img, image::layer_ids(ar, img), index_of, read_options, out.indexes);
    };
}

}  // namespace

util::Result<ReportPage> report(const image::Archive& ar, const image::Image& img, const ReportOptions& options) {
    ReportPage page;
    page.image = &img;
    page.archive.path = ar.container->path();
    page.archive.name = base_name(page.archive.path);
    page.archive.format = std::string(image::to_string(ar.format));

    // The one pass: verify scans every blob, each layer for everything below (its file
    // index and package databases too), while the filesystem sections are built beside it
    // from each layer's scan as it ends; the queries after it find their facts in the
    // container's cache.
    verify::VerifyOptions vo;
    vo.jobs = job_count(options.read);
    vo.platform = options.read.platform;
    vo.platform_explicit = options.read.platform_explicit;
    const archive::ScanOptions want = layer_scan(options.read, kReportNeeds);
    vo.file_index = want.index;
    vo.max_index_entries = options.read.max_entries;
    vo.capture = want.capture;
    vo.capture_max_bytes = want.capture_max_bytes;
    Overlap overlap;
    vo.alongside = build_alongside(img, options.read, want, overlap);
    page.verify = verify::verify_resolved(ar, vo);
    auto read = read_layers(ar, img, options.read, kReportNeeds);
    page.layers = layers(ar, img, LayersOptions{.estimate_download = false, .read = options.read});
    const std::string label = verify_label(img);
    for (const auto& c : page.verify.checks) page.verify_layer.push_back(layer_of(c, page.layers.rows, label));

    auto indexes = layer_indexes(ar, img, read);
    if (!indexes) {
        page.files_error = indexes.error();
    } else if (overlap.files && overlap.indexes == *indexes) {
        page.files = std::move(overlap.files);
    } else {
        // Not built beside the scans (a layer was not ready in time, or is read otherwise):
        // built now from the layers read.
        std::vector<std::shared_ptr<const archive::LayerIndex>> used;
        page.files = build_files(ar, img, read.ids, [&](std::size_t i) { return (*indexes)[i]; }, options.read, used);
    }
    // The archive's own digest (kReportNeeds): last, as the hash of a file runs beside the
    // scans above and is awaited here.
    page.archive.sha256 = ar.container->input_sha256();
    page.archive.size = ar.container->input_size();
    page.findings = notes_of(ar, std::move(read.findings));
    return page;
}

}  // namespace tarsier::query
