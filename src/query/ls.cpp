#include "query/ls.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "oci/config.hpp"
#include "oci/reference.hpp"
#include "query/image_layers.hpp"
#include "query/notes.hpp"
#include "util/plural.hpp"

namespace tarsier::query {

namespace {

constexpr std::int64_t kGoZeroTime = -62135596800;

bool is_dir(const std::string& p) {
    struct stat st{};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_layout_dir(const std::string& p) {
    struct stat st{};
    return ::stat((p + "/index.json").c_str(), &st) == 0 || ::stat((p + "/manifest.json").c_str(), &st) == 0;
}

std::string join(const std::string& dir, const std::string& name) {
    return dir + (dir.ends_with("/") ? "" : "/") + name;
}

/// What a folder that is not itself an image layout holds.
struct Expanded {
    std::vector<std::string> files;   ///< regular files and image-layout subfolders, sorted
    std::size_t subfolders = 0;       ///< other subfolders (not searched unless recursive)
};

/// Expands `dir` into the archives in it, sorted by name; with `recursive`, the archives
/// of its subfolders too (symlinked folders are not followed, so no loop is possible).
void expand(const std::string& dir, bool recursive, Expanded& out, int depth = 0) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    std::vector<std::string> names;
    while (dirent* de = ::readdir(d)) {
        std::string n = de->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
        std::string p = join(dir, n);
        struct stat st{};
        if (::stat(p.c_str(), &st) != 0) continue;
        if (S_ISREG(st.st_mode) || (S_ISDIR(st.st_mode) && is_layout_dir(p))) {
            out.files.push_back(p);
        } else if (S_ISDIR(st.st_mode)) {
            struct stat lst{};
            bool link = ::lstat(p.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode);
            if (recursive && !link && depth < 64) expand(p, true, out, depth + 1);
            else ++out.subfolders;
        }
    }
}

}  // namespace

util::Result<ListFilters> parse_filters(const std::vector<std::string>& specs) {
    ListFilters f;
    for (const auto& s : specs) {
        auto eq = s.find('=');
        if (eq == std::string::npos)
            return util::fail(util::ErrorKind::usage, "--filter", fmt::format("bad format of filter (expected name=value): {}", s));
        std::string key = s.substr(0, eq), value = s.substr(eq + 1);
        if (key == "reference") f.reference.push_back(value);
        else if (key == "dangling") {
            if (value != "true" && value != "false" && value != "1" && value != "0")
                return util::fail(util::ErrorKind::usage, "--filter", fmt::format("invalid filter 'dangling={}'", value));
            f.dangling = value == "true" || value == "1";
        } else if (key == "label") {
            auto e2 = value.find('=');
            if (e2 == std::string::npos) f.labels.emplace_back(value, std::nullopt);
            else f.labels.emplace_back(value.substr(0, e2), value.substr(e2 + 1));
        } else
            return util::fail(util::ErrorKind::usage, "--filter", fmt::format("invalid filter '{}' (supported: reference, dangling, label)", key));
    }
    return f;
}

util::Result<std::optional<std::vector<image::RepoTag>>> apply_filters(const image::Image& img, const ListFilters& f) {
    using Out = std::optional<std::vector<image::RepoTag>>;
    bool dangling = std::none_of(img.references.begin(), img.references.end(),
                                 [](const image::RepoTag& r) { return !r.repository.empty(); });
    if (f.dangling && *f.dangling != dangling) return Out{};
    for (const auto& [k, v] : f.labels) {
        auto it = img.config.config.labels.find(k);
        if (it == img.config.config.labels.end() || (v && it->second != *v)) return Out{};
    }
    if (f.reference.empty()) return Out(img.references);
    std::vector<image::RepoTag> keep;
    for (const auto& r : img.references) {
        if (r.repository.empty()) continue;
        auto ref = oci::Reference::parse(r.tag.empty() ? r.repository : r.repository + ":" + r.tag);
        if (!ref) continue;
        for (const auto& pattern : f.reference) {
            auto m = oci::reference_filter_match(pattern, *ref);
            if (!m) return m.failure();
            if (*m) {
                keep.push_back(r);
                break;
            }
        }
    }
    if (keep.empty()) return Out{};
    return Out(std::move(keep));
}

std::vector<ListRow> list_rows(const std::vector<ListedImage>& images) {
    std::vector<const ListedImage*> order;
    for (const auto& li : images) order.push_back(&li);
    auto created_of = [](const ListedImage* li) {
        auto t = oci::parse_rfc3339(li->image->config.created);
        return t ? *t : oci::Timestamp{kGoZeroTime, 0};
    };
    std::stable_sort(order.begin(), order.end(), [&](const ListedImage* a, const ListedImage* b) {
        auto ta = created_of(a), tb = created_of(b);
        if (ta.seconds != tb.seconds) return ta.seconds > tb.seconds;
        if (ta.nanos != tb.nanos) return ta.nanos > tb.nanos;
        if (a->image->id != b->image->id) return a->image->id < b->image->id;
        return a->archive < b->archive;
    });
    std::vector<ListRow> rows;
    for (const ListedImage* li : order) {
        const image::Image& img = *li->image;
        ListRow base;
        base.archive = li->archive;
        base.id = img.id;
        auto t = created_of(li);
        base.created = t.seconds;
        base.created_nanos = static_cast<std::uint32_t>(t.nanos);
        base.size = li->size;
        // Digests by repository, as Docker pairs RepoDigests with RepoTags.
        std::map<std::string, std::string> digest_of;
        for (const auto& rd : img.repo_digests) {
            auto at = rd.find('@');
            if (at != std::string::npos) digest_of.emplace(rd.substr(0, at), rd.substr(at + 1));
        }
        std::vector<image::RepoTag> tags;
        for (const auto& r : img.references)
            if (std::find_if(tags.begin(), tags.end(), [&](const image::RepoTag& x) { return x.str() == r.str(); }) == tags.end())
                tags.push_back(r);
        if (tags.empty()) {
            ListRow row = base;
            row.repository = row.tag = row.digest = "<none>";
            rows.push_back(row);
            continue;
        }
        for (const auto& rt : tags) {
            ListRow row = base;
            row.repository = rt.repository.empty() ? "<none>" : rt.repository;
            row.tag = rt.tag.empty() ? "<none>" : rt.tag;
            auto d = digest_of.find(rt.repository);
            row.digest = d == digest_of.end() ? "<none>" : d->second;
            rows.push_back(row);
        }
    }
    return rows;
}

util::Result<ListReport> list_images(const ListOptions& options) {
    auto filters = parse_filters(options.filters);
    if (!filters) return filters.failure();
    ListReport rep;
    // Inputs, with folders of archives expanded.
    struct Input {
        std::string path;
        bool named = false;      ///< named by the user (not found in a folder)
        std::size_t folder = 0;  ///< index into folders, for those found in one
    };
    struct Folder {
        std::string path;
        std::size_t subfolders = 0, archives = 0;
    };
    std::vector<Input> inputs;
    std::vector<Folder> folders;
    for (const auto& p : options.paths) {
        if (p == "-" || !is_dir(p) || is_layout_dir(p)) {
            inputs.push_back({p, true, 0});
            continue;
        }
        Expanded ex;
        expand(p, options.recursive, ex);
        folders.push_back({p, ex.subfolders, 0});
        for (auto& f : ex.files) inputs.push_back({f, false, folders.size() - 1});
    }
    rep.several = inputs.size() > 1;
    std::vector<image::Archive> archives;
    archives.reserve(inputs.size());
    std::vector<std::string> skipped;
    for (const auto& in : inputs) {
        auto ar = open_archive(in.path, options.read, {});
        if (!ar) {
            if (!in.named && ar.error().kind == util::ErrorKind::not_image) {
                skipped.push_back(in.path);
                continue;
            }
            rep.errors.push_back(ar.error());
            continue;
        }
        if (!in.named) ++folders[in.folder].archives;
        archives.push_back(std::move(*ar));
    }
    if (!skipped.empty())
        rep.findings.push_back({"info", "not-archives", "",
                                skipped.size() == 1
                                    ? fmt::format("skipped {}: not an image archive", skipped.front())
                                    : fmt::format("skipped {} that are not image archives (the first: {})",
                                                  util::count(skipped.size(), "file"), skipped.front())});
    for (const auto& f : folders) {
        if (f.archives > 0) continue;
        rep.findings.push_back(
            {"info", "no-archives", f.path,
             f.subfolders > 0 && !options.recursive
                 ? fmt::format("no image archive in this folder; {} not searched (use -r to search them)",
                               util::count(f.subfolders, "subfolder"))
                 : std::string("no image archive in this folder")});
    }
    rep.archives = archives.size();
    // Copies of the images with only the references the filters keep.
    std::vector<std::pair<std::size_t, std::size_t>> origin;
    std::vector<std::vector<image::RepoTag>> kept;
    for (std::size_t a = 0; a < archives.size(); ++a) {
        for (std::size_t i = 0; i < archives[a].images.size(); ++i) {
            auto keep = apply_filters(archives[a].images[i], *filters);
            if (!keep) return keep.failure();
            if (!*keep) continue;
            origin.emplace_back(a, i);
            kept.push_back(std::move(**keep));
        }
    }
    std::vector<image::Image> filtered;
    filtered.reserve(origin.size());
    std::vector<ListedImage> listed;
    for (std::size_t k = 0; k < origin.size(); ++k) {
        auto [a, i] = origin[k];
        const auto& ar = archives[a];
        image::Image copy = ar.images[i];
        copy.references = std::move(kept[k]);
        filtered.push_back(std::move(copy));
        auto layers = read_layers(ar, ar.images[i], options.read, {});
        for (auto& f : layers.findings) {
            f.where = fmt::format("{}: {}", ar.container->path(), f.where);
            rep.findings.push_back(std::move(f));
        }
        listed.push_back({ar.container->path(), &filtered.back(), image_size(layer_sizes(layers))});
    }
    for (const auto& ar : archives)
        for (auto& f : notes_of(ar, {})) {
            f.where = f.where.empty() ? ar.container->path() : fmt::format("{}: {}", ar.container->path(), f.where);
            rep.findings.push_back(std::move(f));
        }
    rep.rows = list_rows(listed);
    return rep;
}

}  // namespace tarsier::query
