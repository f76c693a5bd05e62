// tarsier ls ARCHIVE|DIR...: `docker image ls` over one or many archives.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "oci/reference.hpp"
#include "report/ls_view.hpp"

namespace tarsier::cli {

namespace {

bool is_dir(const std::string& p) {
    struct stat st{};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_layout_dir(const std::string& p) {
    struct stat st{};
    return ::stat((p + "/index.json").c_str(), &st) == 0 || ::stat((p + "/manifest.json").c_str(), &st) == 0;
}

/// Expands a directory that is not itself an image layout into the archives in it (one
/// level, sorted by name): regular files and image-layout subdirectories.
std::vector<std::string> expand(const std::string& dir) {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return out;
    while (dirent* de = ::readdir(d)) {
        std::string n = de->d_name;
        if (n == "." || n == "..") continue;
        std::string p = dir + (dir.ends_with("/") ? "" : "/") + n;
        struct stat st{};
        if (::stat(p.c_str(), &st) != 0) continue;
        if (S_ISREG(st.st_mode) || (S_ISDIR(st.st_mode) && is_layout_dir(p))) out.push_back(p);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

struct Filters {
    std::vector<std::string> reference;
    std::optional<bool> dangling;
    std::vector<std::pair<std::string, std::optional<std::string>>> labels;
};

util::Result<Filters> parse_filters(const std::vector<std::string>& specs) {
    Filters f;
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

/// Applies the filters to one image: returns the references to keep (Docker shows only
/// the matching ones) or nullopt when the image is filtered out.
util::Result<std::optional<std::vector<image::RepoTag>>> apply_filters(const image::Image& img, const Filters& f) {
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

}  // namespace

void add_ls(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::vector<std::string> paths, filters;
        std::string format;
        bool digests = false, no_trunc = false, quiet = false;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("ls", "List the images in archives like 'docker image ls'");
    sub->alias("images");
    sub->add_option("ARCHIVE", o->paths, "image archives, OCI layout directories, directories of archives, or -")->required();
    sub->add_flag("--digests", o->digests, "show digests");
    sub->add_flag("--no-trunc", o->no_trunc, "don't truncate output");
    sub->add_flag("-q,--quiet", o->quiet, "only show image IDs");
    sub->add_option("-f,--filter", o->filters, "filter output: reference=PATTERN, dangling=true|false, label=KEY[=VALUE]")
        ->type_name("FILTER");
    sub->add_option("--format", o->format, "'table' (default) or 'json'")->check(CLI::IsMember({"table", "json"}));
    add_global_options(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            auto now = now_seconds(g);
            if (!now) {
                print_error(now.error());
                return exit_code(now.error());
            }
            auto filters = parse_filters(o->filters);
            if (!filters) {
                print_error(filters.error());
                return exit_code(filters.error());
            }
            // Arguments, with directories of archives expanded.
            std::vector<std::pair<std::string, bool>> inputs;  // path, named explicitly
            for (const auto& p : o->paths) {
                if (p != "-" && is_dir(p) && !is_layout_dir(p)) {
                    for (auto& f : expand(p)) inputs.emplace_back(f, false);
                } else {
                    inputs.emplace_back(p, true);
                }
            }
            int status = kExitOk;
            std::vector<image::Archive> archives;
            archives.reserve(inputs.size());
            for (const auto& [path, explicit_arg] : inputs) {
                auto ar = open_archive(path, g);
                if (!ar) {
                    if (!explicit_arg && ar.error().kind == util::ErrorKind::not_image) continue;
                    print_error(ar.error());
                    status = std::max(status, exit_code(ar.error()));
                    continue;
                }
                archives.push_back(std::move(*ar));
            }
            std::vector<image::Image> filtered;  // copies with only the kept references
            filtered.reserve(64);
            std::vector<report::ListedImage> listed;
            std::vector<std::pair<std::size_t, std::size_t>> origin;
            for (std::size_t a = 0; a < archives.size(); ++a) {
                for (std::size_t i = 0; i < archives[a].images.size(); ++i) {
                    auto keep = apply_filters(archives[a].images[i], *filters);
                    if (!keep) {
                        print_error(keep.error());
                        return exit_code(keep.error());
                    }
                    if (*keep) origin.emplace_back(a, i);
                }
            }
            filtered.reserve(origin.size());
            for (auto [a, i] : origin) {
                image::Image copy = archives[a].images[i];
                copy.references = **apply_filters(archives[a].images[i], *filters);
                filtered.push_back(std::move(copy));
            }
            for (std::size_t k = 0; k < origin.size(); ++k) {
                auto [a, i] = origin[k];
                auto sizes = layer_sizes(archives[a], archives[a].images[i], g);
                listed.push_back({archives[a].container->path(), &filtered[k], image_size(sizes)});
            }
            report::ListOptions lo;
            lo.digests = o->digests;
            lo.no_trunc = o->no_trunc;
            lo.quiet = o->quiet;
            lo.show_archive = inputs.size() > 1;
            lo.now = *now;
            auto zone = local_zone(*now);
            lo.utc_offset = zone.offset;
            lo.zone_name = zone.name;
            if (archives.empty() && status != kExitOk) return status;
            auto rows = report::list_rows(listed);
            write_out(o->format == "json" ? report::render_list_json(rows, lo) : report::render_list_table(rows, lo));
            return status;
        };
    });
}

}  // namespace tarsier::cli
