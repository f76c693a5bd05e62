#include "verify/verify.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <set>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "image/model.hpp"
#include "image/references.hpp"
#include "oci/docker_archive.hpp"
#include "oci/manifest.hpp"
#include "oci/media_types.hpp"
#include "digest/base64.hpp"

namespace tarsier::verify {

using util::ErrorKind;
using util::Result;

namespace {

/// One place that names a blob by descriptor.
struct Reference {
    oci::Descriptor descriptor;
    std::string where;
};

/// The smallest blob worth scanning on two threads (Verifier::scan); a compressed one
/// decodes to many times this.
constexpr std::uint64_t kPipelineMin = std::uint64_t{256} << 10;

class Verifier {
public:
    Verifier(Report& report, const VerifyOptions& options) : m_report(report), m_options(options) {}

    void add(std::string id, std::string subject, Verdict v, std::string expected = {}, std::string actual = {},
             std::string message = {}) {
        Check c;
        c.id = std::move(id);
        c.subject = std::move(subject);
        c.verdict = v;
        c.expected = std::move(expected);
        c.actual = std::move(actual);
        c.message = std::move(message);
        m_report.checks.push_back(std::move(c));
    }

    archive::ScanOptions scan_options() const {
        archive::ScanOptions o;
        o.raw_digest = digest::Algorithm::sha256;
        o.diff_id = true;
        o.walk_tar = true;
        o.max_layer_size = m_options.max_layer_size;
        o.max_ratio = m_options.max_ratio;
        o.index = m_options.file_index;
        o.max_index_entries = m_options.max_index_entries;
        o.max_index_name_bytes = m_options.max_index_entries * 256;
        if (o.index) {
            o.content_on_demand = m_options.content_on_demand;
            o.capture = m_options.capture;
            o.capture_max_bytes = m_options.capture_max_bytes;
        }
        return o;
    }

    /// Container-level findings: truncation, duplicate and escaping names.
    void container_findings(const archive::Container& c) {
        for (const auto& f : c.findings()) {
            bool hard = f.code == "archive-truncated" || f.code == "archive-damaged" || f.code == "entry-escapes-root";
            add(f.code, f.where, hard ? Verdict::fail : Verdict::warn, "", "", f.message);
        }
    }

    /// Follows every descriptor from index.json through nested indexes and manifests.
    void walk_graph(const archive::Container& c) {
        auto e = c.find("index.json");
        if (!e || !*e) return;
        auto text = c.read_document(**e);
        if (!text) return;
        auto doc = oci::parse_json(*text, "index.json");
        if (!doc) return;
        auto index = oci::parse_index((*doc)->doc);
        if (!index) return;
        std::set<std::string> visited;
        for (std::size_t i = 0; i < index->manifests.size(); ++i)
            walk(c, index->manifests[i], fmt::format("index.json/manifests/{}", i), Role::top, 0, visited);
    }

    enum class Role { top, platform, config, layer };

    void walk(const archive::Container& c, const oci::Descriptor& d, const std::string& where, Role role, int depth,
              std::set<std::string>& visited) {
        auto dg = digest::Digest::parse(d.digest);
        if (!dg) {
            add("descriptor-digest", where, Verdict::fail, "a digest (algorithm:encoded)", d.digest, dg.error().what);
            return;
        }
        auto e = c.find(digest::blob_path(*dg));
        if (!e || !*e) {
            if (role == Role::platform)
                add("blob-present", where, Verdict::absent_by_design, d.digest, "absent",
                    "a platform that was not exported (the index keeps every platform)");
            else if (role == Role::layer && oci::media::is_foreign_layer(d.media_type))
                add("blob-present", where, Verdict::absent_by_design, d.digest, "absent", "non-distributable layer");
            else
                add("blob-present", where, Verdict::fail, d.digest, "absent", "a blob the image needs is not in the archive");
            return;
        }
        m_refs[(*e)->name].push_back({d, where});
        if (role == Role::config || role == Role::layer) return;
        if (depth > 16 || !visited.insert(d.digest).second) return;
        if ((*e)->size > (16u << 20)) return;
        auto text = c.read_document(**e);
        if (!text) return;
        auto doc = oci::parse_json(*text, (*e)->name);
        if (!doc) {
            add("document", (*e)->name, Verdict::fail, "JSON", "", doc.error().what);
            return;
        }
        const auto& root = (*doc)->doc;
        switch (oci::classify(root)) {
            case oci::DocumentKind::index: {
                auto x = oci::parse_index(root);
                if (!x) {
                    add("document", (*e)->name, Verdict::fail, "an image index", "", x.error().to_string());
                    return;
                }
                for (std::size_t i = 0; i < x->manifests.size(); ++i) {
                    const auto& child = x->manifests[i];
                    const std::string plat = child.platform ? " (" + child.platform->to_string_all() + ")" : "";
                    walk(c, child, fmt::format("{} manifests/{}{}", digest::short_digest(d.digest), i, plat), Role::platform,
                         depth + 1, visited);
                }
                break;
            }
            case oci::DocumentKind::manifest: {
                auto m = oci::parse_manifest(root);
                if (!m) {
                    add("document", (*e)->name, Verdict::fail, "an image manifest", "", m.error().to_string());
                    return;
                }
                std::string base = digest::short_digest(d.digest);
                walk(c, m->config, base + " config", Role::config, depth + 1, visited);
                for (std::size_t i = 0; i < m->layers.size(); ++i)
                    walk(c, m->layers[i], fmt::format("{} layers/{}", base, i), Role::layer, depth + 1, visited);
                break;
            }
            default: break;
        }
    }

    /// Scans every blob once, in parallel, largest first.
    /// `layer_rank`: with an alongside hook, the position of each layer blob in its image
    /// (the lowest when several images have it): those blobs are scanned base first, so
    /// that the hook, which builds each layer on the ones below, follows the scans instead
    /// of finding every layer left to do at the end; the other blobs after them.
    void scan(const archive::Container& c, const std::vector<const archive::Entry*>& entries, const std::set<std::string>& layers,
              const std::map<std::string, std::size_t>& layer_rank = {}) {
        std::vector<const archive::Entry*> order = entries;
        std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->size > b->size; });
        if (m_options.alongside && !layer_rank.empty()) {
            auto rank = [&](const archive::Entry* e) {
                auto r = layer_rank.find(e->name);
                return r == layer_rank.end() ? SIZE_MAX : r->second;
            };
            std::stable_sort(order.begin(), order.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
        }
        c.expect_scans(order);
        std::vector<Result<archive::BlobStats>> results(order.size(), Result<archive::BlobStats>(archive::BlobStats{}));
        const unsigned n = std::max(1u, std::min<unsigned>(m_options.jobs, static_cast<unsigned>(order.size())));
        // A blob larger than all the smaller ones together would leave the other threads
        // idle while one scans it: it is scanned by two (ScanOptions::pipeline: reading and
        // hashing on one, decoding and walking on the other).
        std::vector<std::uint64_t> smaller(order.size() + 1, 0);
        for (std::size_t i = order.size(); i-- > 0;) smaller[i] = smaller[i + 1] + order[i]->size;
        auto pipelined = [&](std::size_t i) {
            return m_options.jobs >= 2 && order[i]->size >= kPipelineMin && order[i]->size > smaller[i + 1];
        };
        std::atomic<std::size_t> next{0};
        auto work = [&] {
            for (;;) {
                std::size_t i = next.fetch_add(1);
                if (i >= order.size()) return;
                archive::ScanOptions o = scan_options();
                if (auto named = digest::parse_blob_path(order[i]->name); named && named->verifiable())
                    o.raw_digest = named->verifiable_algorithm();
                if (!layers.count(order[i]->name)) {
                    o.diff_id = false;
                    o.walk_tar = false;
                    o.index.reset();
                    o.capture = nullptr;
                }
                o.pipeline = pipelined(i);
                if (order[i]->stats) o = order[i]->stats->options;  // streamed: computed already
                results[i] = c.blob_stats(*order[i], o);
            }
        };
        std::vector<std::thread> threads;
        for (unsigned t = 1; t < n; ++t) threads.emplace_back(work);
        work();
        for (auto& t : threads) t.join();
        for (std::size_t i = 0; i < order.size(); ++i) m_stats.emplace(order[i]->name, std::move(results[i]));
    }

    /// Blob digests and the descriptors that name each blob.
    void blob_checks(const archive::Container& c) {
        for (const auto& [name, stats] : m_stats) {
            const archive::Entry* e = *c.find(name);
            if (!stats) {
                add("blob-readable", name, Verdict::fail, "", "", stats.error().to_string());
                continue;
            }
            if (name.starts_with("blobs/")) {
                auto dg = digest::parse_blob_path(name);
                const std::string expected = dg ? dg->str() : std::string();
                if (!dg) {
                    add("blob-name", name, Verdict::fail, "blobs/<algorithm>/<encoded>", name, dg.error().what);
                } else if (!dg->verifiable()) {
                    add("blob-digest", "blob " + expected, Verdict::unverifiable, expected, "",
                        "algorithm " + dg->algorithm + " cannot be computed here");
                } else {
                    std::string actual = stats->digest.value_or("");
                    add("blob-digest", "blob " + digest::short_digest(expected),
                        actual == expected ? Verdict::pass : Verdict::fail, expected, actual);
                    auto& ck2 = m_report.checks.back();
                    ck2.size = stats->size;
                    ck2.compression = std::string(io::to_string(stats->compression));
                }
            }
            auto refs = m_refs.find(name);
            if (refs == m_refs.end()) continue;
            for (const auto& ref : refs->second) {
                const auto& d = ref.descriptor;
                if (d.size >= 0) {
                    bool same = static_cast<std::uint64_t>(d.size) == stats->size;
                    add("descriptor-size", ref.where, same ? Verdict::pass : Verdict::fail, std::to_string(d.size),
                        std::to_string(stats->size));
                } else {
                    add("descriptor-size", ref.where, Verdict::fail, "a size", "none", "the descriptor has no size");
                }
                if (d.data) {
                    auto decoded = digest::base64_decode(*d.data);
                    auto content = c.read_document(*e);
                    bool same = decoded && content && *decoded == *content;
                    add("descriptor-data", ref.where, same ? Verdict::pass : Verdict::fail, "the blob's bytes",
                        decoded ? "other bytes" : "invalid base64");
                    if (same) m_report.checks.back().actual = "the same bytes";
                }
            }
        }
    }

    std::string label(const image::Image& img) const {
        if (!img.references.empty()) return img.references.front().str();
        if (img.id.empty()) return "the bare layer";
        return digest::short_digest(img.id);
    }

    void image_checks(const image::Archive& ar) {
        for (const auto& img : ar.images) {
            std::string name = label(img);
            // docker-archive configs named after their digest.
            std::string cfg = img.config_entry;
            std::string hex;
            if (cfg.size() == 69 && cfg.ends_with(".json")) hex = cfg.substr(0, 64);
            else if (cfg.starts_with("sha256:") && cfg.size() == 71) hex = cfg.substr(7);
            if (!hex.empty())
                add("config-digest", "config of " + name, img.id == "sha256:" + hex ? Verdict::pass : Verdict::fail,
                    "sha256:" + hex, img.id, "the config file is named after its digest");
            if (ar.format != image::ArchiveFormat::docker_v1 && ar.format != image::ArchiveFormat::bare_layer) {
                bool same = img.config.diff_ids.size() == img.layers.size();
                add("layer-count", name, same ? Verdict::pass : Verdict::fail, std::to_string(img.config.diff_ids.size()),
                    std::to_string(img.layers.size()), "layers against rootfs.diff_ids");
            }
            for (std::size_t i = 0; i < img.layers.size(); ++i) layer_check(ar, img, name, i);
            index_agreement(ar, img, name);
        }
    }

    void layer_check(const image::Archive& ar, const image::Image& img, const std::string& name, std::size_t i) {
        const auto& il = img.layers[i];
        const auto& layer = ar.layers[il.layer];
        std::string subject = fmt::format("layer {} of {}", i, name);
        if (layer.entry.empty()) {
            bool by_design = layer.absent_reason.find("by design") != std::string::npos;
            add("layer-present", subject, by_design ? Verdict::absent_by_design : Verdict::fail, layer.digest, "absent",
                layer.absent_reason);
            return;
        }
        auto it = m_stats.find(layer.entry);
        if (it == m_stats.end() || !it->second) return;  // reported as blob-readable
        const auto& s = *it->second;
        Check c;
        c.id = "layer-diff-id";
        c.subject = subject;
        c.size = s.size;
        c.uncompressed_size = s.uncompressed_size;
        c.compression = std::string(io::to_string(s.compression));
        c.expected = il.diff_id;
        if (s.decode_error) {
            c.id = "layer-decode";
            c.verdict = Verdict::fail;
            c.actual = "undecodable";
            c.message = s.decode_error->what;
        } else if (ar.format == image::ArchiveFormat::docker_v1 || ar.format == image::ArchiveFormat::bare_layer) {
            c.id = "layer-decode";
            c.verdict = Verdict::pass;
            c.actual = s.diff_id.value_or("");
            c.message = ar.format == image::ArchiveFormat::docker_v1 ? "pre-1.10 archive: no diff_id to compare"
                                                                     : "a bare layer: no config, no diff_id to compare";
        } else {
            c.actual = s.diff_id.value_or("");
            c.verdict = !il.diff_id.empty() && c.actual == il.diff_id ? Verdict::pass : Verdict::fail;
        }
        m_report.checks.push_back(std::move(c));
        auto declared = oci::media::declared_compression(layer.media_type);
        if (!declared.empty() && declared != io::to_string(s.compression))
            add("media-type", subject, Verdict::warn, std::string(declared), std::string(io::to_string(s.compression)),
                "the declared media type " + layer.media_type + " disagrees with the content");
    }

    /// manifest.json and index.json describe the same layers in the same order.
    void index_agreement(const image::Archive& ar, const image::Image& img, const std::string& name) {
        if (ar.format != image::ArchiveFormat::docker_oci && ar.format != image::ArchiveFormat::containerd_export) return;
        if (img.manifest_digest.empty()) {
            add("index-agreement", name, Verdict::warn, "an index.json manifest for this image", "none",
                "index.json does not list this image (Docker 25.0.0-25.0.2 leave untagged images out)");
            return;
        }
        auto dg = digest::Digest::parse(img.manifest_digest);
        auto e = dg ? ar.container->find(digest::blob_path(*dg)) : Result<const archive::Entry*>(nullptr);
        if (!e || !*e) return;
        auto text = ar.container->read_document(**e);
        if (!text) return;
        auto doc = oci::parse_json(*text, (*e)->name);
        if (!doc) return;
        auto m = oci::parse_manifest((*doc)->doc);
        if (!m) return;
        std::vector<std::string> from_json, from_index;
        for (const auto& l : img.layers) from_json.push_back(ar.layers[l.layer].digest);
        for (const auto& l : m->layers) from_index.push_back(l.digest);
        if (from_json == from_index) {
            add("index-agreement", name, Verdict::pass, "the same layers in the same order");
            return;
        }
        auto a = from_json, b = from_index;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        if (a == b)
            add("index-agreement", name, Verdict::warn, "the same layer order", "another order",
                "index.json lists the layers in another order (Docker 25.0.0 wrote them in random order)");
        else
            add("index-agreement", name, Verdict::fail, fmt::format("{} layers", from_json.size()),
                fmt::format("{} layers, not the same", from_index.size()), "manifest.json and index.json name different layers");
    }

    /// `repositories` names images that manifest.json has.
    void repositories_check(const image::Archive& ar) {
        if (ar.format == image::ArchiveFormat::docker_v1) return;
        auto e = ar.container->find("repositories");
        if (!e || !*e) return;
        auto text = ar.container->read_document(**e);
        if (!text) return;
        auto doc = oci::parse_json(*text, "repositories");
        if (!doc) {
            add("repositories", "repositories", Verdict::fail, "JSON", "", doc.error().what);
            return;
        }
        auto repos = oci::parse_repositories((*doc)->doc);
        if (!repos) {
            add("repositories", "repositories", Verdict::fail, "{repo: {tag: id}}", "", repos.error().to_string());
            return;
        }
        for (const auto& rt : *repos) {
            std::string ref = image::familiar_repository(rt.repository) + ":" + rt.tag;
            bool found = false;
            for (const auto& img : ar.images)
                for (const auto& r : img.references) found = found || r.str() == ref;
            add("repositories", "repositories " + ref, found ? Verdict::pass : Verdict::fail, "an image tagged " + ref,
                found ? "present" : "none", "");
        }
    }

    /// Blobs that nothing refers to, oci-layout's version.
    void layout_checks(const image::Archive& ar, const std::set<std::string>& used) {
        const auto& c = *ar.container;
        for (const auto& e : c.entries()) {
            if (e.type != archive::EntryType::regular || !e.name.starts_with("blobs/")) continue;
            if (!used.count(e.name) && !m_refs.count(e.name))
                add("unreferenced-blob", e.name, Verdict::warn, "", "", "no descriptor or manifest.json refers to it");
        }
        auto layout = c.find("oci-layout");
        if (layout && *layout) {
            auto text = c.read_document(**layout);
            auto doc = text ? oci::parse_json(*text, "oci-layout") : Result<std::unique_ptr<oci::JsonDocument>>(util::fail(text.error()));
            std::string version;
            if (doc) {
                auto v = oci::opt_string((*doc)->doc, "imageLayoutVersion", "");
                if (v && *v) version = **v;
            }
            add("oci-layout", "oci-layout", version == "1.0.0" ? Verdict::pass : Verdict::warn, "1.0.0", version);
        }
    }

    /// Resolver findings that are checks of their own.
    void resolver_findings(const image::Archive& ar) {
        static const std::set<std::string> kHandledElsewhere = {"layer-absent",   "layer-count-mismatch", "blob-absent",
                                                                "artifact",       "docker-v1",            "not-in-index",
                                                                "duplicate-entry", "entry-escapes-root",  "archive-truncated",
                                                                "archive-damaged"};
        for (const auto& f : ar.findings) {
            if (kHandledElsewhere.count(f.code) || f.severity == "info") continue;
            add(f.code, f.where, f.severity == "error" ? Verdict::fail : Verdict::warn, "", "", f.message);
        }
    }

    std::map<std::string, std::vector<Reference>>& refs() { return m_refs; }

private:
    Report& m_report;
    const VerifyOptions& m_options;
    std::map<std::string, std::vector<Reference>> m_refs;
    std::map<std::string, Result<archive::BlobStats>> m_stats;
};

/// The checks of a resolved archive (verify_archive after resolution, and verify_resolved).
void check_resolved(Verifier& v, Report& report, const image::Archive& ar) {
    report.format = std::string(image::to_string(ar.format));
    v.walk_graph(*ar.container);

    // Every blob once: blobs/, plus the layer and config files manifest.json names.
    std::set<std::string> names, layer_names;
    for (const auto& l : ar.layers)
        if (!l.entry.empty()) {
            names.insert(l.entry);
            layer_names.insert(l.entry);
        }
    for (const auto& img : ar.images) names.insert(img.config_entry);
    for (const auto& e : ar.container->entries())
        if (e.type == archive::EntryType::regular && e.name.starts_with("blobs/")) names.insert(e.name);
    std::set<std::string> used = names;
    for (const auto& [n, refs] : v.refs()) used.insert(n);
    // Layer blobs found through descriptors but not used by the chosen images still get
    // their layer scan (a diff_id cannot be checked without a config, but decoding can).
    std::vector<const archive::Entry*> entries;
    for (const auto& n : names) {
        auto e = ar.container->find(n);
        if (e && *e) entries.push_back(*e);
    }
    std::map<std::string, std::size_t> layer_rank;
    for (const auto& img : ar.images)
        for (std::size_t i = 0; i < img.layers.size(); ++i) {
            const std::string& entry = ar.layers[img.layers[i].layer].entry;
            if (entry.empty()) continue;
            auto [at, added] = layer_rank.emplace(entry, i);
            if (!added) at->second = std::min(at->second, i);
        }
    v.scan(*ar.container, entries, layer_names, layer_rank);
    v.blob_checks(*ar.container);
    v.image_checks(ar);
    v.repositories_check(ar);
    v.resolver_findings(ar);
    // Entries used only as manifest.json paths count as referenced.
    std::set<std::string> manifest_json_paths;
    for (const auto& l : ar.layers) manifest_json_paths.insert(l.entry);
    for (const auto& img : ar.images) manifest_json_paths.insert(img.config_entry);
    v.layout_checks(ar, manifest_json_paths);
}

/// Runs VerifyOptions::alongside on a thread of its own while verify scans. The scans
/// end, and the thread is joined, in end() or, if an exception leaves verify first, in the
/// destructor: a hook waiting in Container::await_stats never waits for ever.
class Alongside {
public:
    Alongside(const std::function<void(const image::Archive&)>& hook, const image::Archive& ar) : m_container(*ar.container) {
        if (!hook) return;
        m_thread = std::thread([this, &hook, &ar] {
            try {
                hook(ar);
            } catch (...) {
                m_error = std::current_exception();
            }
        });
    }
    ~Alongside() { join(); }
    Alongside(const Alongside&) = delete;
    Alongside& operator=(const Alongside&) = delete;
    /// Ends the scans, waits for the hook and rethrows what it threw.
    void end() {
        join();
        if (m_error) std::rethrow_exception(std::exchange(m_error, nullptr));
    }

private:
    void join() {
        m_container.end_scans();
        if (m_thread.joinable()) m_thread.join();
    }
    const archive::Container& m_container;
    std::exception_ptr m_error;
    std::thread m_thread;
};

}  // namespace

Report verify_resolved(const image::Archive& ar, const VerifyOptions& options) {
    Report report;
    report.archive = ar.container->path();
    report.strict = options.strict;
    Verifier v(report, options);
    v.container_findings(*ar.container);
    Alongside alongside(options.alongside, ar);
    check_resolved(v, report, ar);
    alongside.end();
    return report;
}

Result<Report> verify_archive(const std::string& path, const VerifyOptions& options) {
    auto v = verify_and_keep(path, options);
    if (!v) return v.failure();
    return std::move(v->report);
}

Result<Verified> verify_and_keep(const std::string& path, const VerifyOptions& options) {
    Verified out;
    Report& report = out.report;
    report.archive = path;
    report.strict = options.strict;
    Verifier v(report, options);

    archive::OpenOptions open;
    open.stream_scan = v.scan_options();
    open.progress = options.progress;
    // An outer archive that cannot be read to its end (cut, or a damaged tar header) fails
    // here, as in every other command: one error, exit 3, no checks after the damage that
    // would report the same cut again as absent blobs and layers.
    auto container = archive::open_container(path, open);
    if (!container) return container.failure();
    v.container_findings(**container);

    image::ResolveOptions ro;
    ro.platform = options.platform;
    ro.platform_explicit = options.platform_explicit;
    std::unique_ptr<archive::Container> owned = std::move(*container);
    auto resolved = image::resolve_keep(owned, ro);
    if (!resolved) {
        bool damaged = report.count(Verdict::fail) > 0;
        if (!damaged && (resolved.error().kind == ErrorKind::not_image || resolved.error().kind == ErrorKind::usage))
            return resolved.failure();
        // What can still be checked: the blobs themselves.
        v.add("documents", resolved.error().where.empty() ? "archive" : resolved.error().where, Verdict::fail, "", "",
              resolved.error().what);
        std::vector<const archive::Entry*> blobs;
        for (const auto& e : owned->entries())
            if (e.type == archive::EntryType::regular && e.name.starts_with("blobs/")) blobs.push_back(&e);
        v.scan(*owned, blobs, {});
        v.blob_checks(*owned);
        return out;
    }
    {
        Alongside alongside(options.alongside, *resolved);
        check_resolved(v, report, *resolved);
        alongside.end();  // before the archive moves
    }
    out.archive = std::move(*resolved);
    return out;
}

}  // namespace tarsier::verify
