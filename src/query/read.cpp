#include "query/read.hpp"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "image/select.hpp"
#include "oci/platform.hpp"
#include "pkg/root_view.hpp"

namespace tarsier::query {

unsigned job_count(const ReadOptions& options) {
    if (options.jobs > 0) return options.jobs;
    return std::max(1u, std::thread::hardware_concurrency());
}

archive::ScanOptions layer_scan(const ReadOptions& options, Needs needs) {
    archive::ScanOptions scan;
    scan.walk_tar = true;
    scan.diff_id = true;
    scan.raw_digest = digest::Algorithm::sha256;
    scan.estimate_gzip = needs.estimate_gzip;
    if (needs.files) scan.index = options.content_digest;
    scan.content_on_demand = needs.files && needs.content_on_demand;
    if (needs.files && needs.packages) {
        scan.capture = needs.package_listing ? &pkg::wanted_for_listing : &pkg::wanted;
        scan.capture_max_bytes = pkg::kMaxDatabaseBytes;
    }
    scan.file_digests = needs.files && needs.package_digests;
    if (needs.files) scan.stager = options.stager;
    scan.max_index_entries = options.max_entries;
    scan.max_index_name_bytes = options.max_entries * 256;
    return scan;
}

namespace {

archive::OpenOptions open_options(const ReadOptions& options, Needs needs) {
    archive::OpenOptions open;
    open.stream_scan = layer_scan(options, needs);
    open.progress = options.progress;
    open.input_digest = needs.input_digest;
    return open;
}

image::ResolveOptions resolve_options(const ReadOptions& options) {
    image::ResolveOptions resolve;
    resolve.platform = options.platform;
    resolve.platform_explicit = options.platform_explicit;
    return resolve;
}

}  // namespace

util::Result<image::Archive> open_archive(const std::string& path, const ReadOptions& options, Needs needs) {
    return image::open_archive(path, open_options(options, needs), resolve_options(options));
}

util::Result<image::Archive> open_archive_bytes(const std::string& name, std::string_view bytes,
                                                const ReadOptions& options, Needs needs) {
    auto c = archive::open_container_bytes(name, bytes, open_options(options, needs));
    if (!c) return c.failure();
    return image::resolve(std::move(*c), resolve_options(options));
}

util::Result<const image::Image*> choose_image(const image::Archive& archive, std::string_view selector) {
    auto img = image::select_image(archive, selector);
    if (!img) return util::fail(img.error().in_file(archive.container->path()));
    return *img;
}

util::Result<Selected> select(image::Archive archive, std::string_view selector) {
    Selected s{std::move(archive), nullptr};
    auto img = choose_image(s.archive, selector);
    if (!img) return img.failure();
    s.image = *img;
    return s;
}

util::Result<Selected> open_image(const std::string& path, std::string_view selector, const ReadOptions& options,
                                  Needs needs) {
    auto ar = open_archive(path, options, needs);
    if (!ar) return ar.failure();
    auto sel = select(std::move(*ar), selector);
    if (!sel || !options.platform_explicit) return sel;
    // An image that no index chose by platform (a single manifest in index.json) is the one
    // the user gets; it must be of the platform asked for, never silently another.
    auto want = oci::Platform::parse(options.platform);
    if (!want) return util::fail(want.error().at("--platform").in_file(path));
    const image::Image& img = *sel->image;
    if (!img.platform_of().os.empty() && !oci::matches(*want, img.platform_of()))
        return util::fail(util::make_error(util::ErrorKind::usage, img.source.empty() ? "--platform" : img.source,
                                           fmt::format("the image is {}, not {} (--platform)", img.platform(),
                                                       want->to_string_all()))
                              .in_file(path));
    return sel;
}

}  // namespace tarsier::query
