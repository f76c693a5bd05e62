#include "cli/common.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <thread>

#include <fmt/format.h>

#include "image/select.hpp"
#include "oci/config.hpp"
#include "util/strings.hpp"

namespace tarsier::cli {

using util::ErrorKind;

int exit_code(const util::Error& e) {
    switch (e.kind) {
        case ErrorKind::usage: return kExitUsage;
        case ErrorKind::interrupted: return kExitInterrupted;
        default: return kExitUnreadable;
    }
}

void print_error(const util::Error& e) {
    std::string line = e.to_string();
    while (!line.empty() && line.back() == '\n') line.pop_back();
    // Names from the archive may carry terminal escapes; the message text keeps its own
    // newlines (lists of choices) but nothing else unprintable.
    std::string safe;
    for (const auto& part : util::split(line, '\n')) {
        if (!safe.empty()) safe += '\n';
        safe += util::escape_for_display(part);
    }
    std::fprintf(stderr, "tarsier: error: %s\n", safe.c_str());
}

void print_warning(const std::string& message) {
    std::fprintf(stderr, "tarsier: warning: %s\n", util::escape_for_display(message).c_str());
}

util::Result<std::int64_t> now_seconds(const GlobalOptions& g) {
    if (g.now.empty()) return static_cast<std::int64_t>(std::time(nullptr));
    std::int64_t secs = 0;
    auto [p, ec] = std::from_chars(g.now.data(), g.now.data() + g.now.size(), secs);
    if (ec == std::errc() && p == g.now.data() + g.now.size()) return secs;
    if (auto t = oci::parse_rfc3339(g.now)) return t->seconds;
    return util::fail(ErrorKind::usage, "--now", fmt::format("'{}' is neither an RFC 3339 time nor Unix seconds", g.now));
}

unsigned job_count(const GlobalOptions& g) {
    if (g.jobs > 0) return g.jobs;
    return std::max(1u, std::thread::hardware_concurrency());
}

util::Result<image::Archive> open_archive(const std::string& path, const GlobalOptions& g, bool index) {
    archive::OpenOptions open;
    open.stream_scan.walk_tar = true;
    if (index) open.stream_scan.index = g.sha256_content ? archive::ContentDigest::sha256 : archive::ContentDigest::xxh128;
    open.stream_scan.max_index_entries = g.max_entries;
    open.stream_scan.max_index_name_bytes = g.max_entries * 256;
    open.stream_scan.diff_id = true;
    open.stream_scan.raw_digest = digest::Algorithm::sha256;
    image::ResolveOptions resolve;
    resolve.platform = g.platform;
    resolve.platform_explicit = g.platform_set;
    return image::open_archive(path, open, resolve);
}

std::string layer_message(const image::Archive& ar, const image::Image& img, std::size_t position, const util::Error& e) {
    const auto& layer = ar.layers[img.layers[position].layer];
    std::string name = layer.digest.empty() ? layer.entry : layer.digest;
    return fmt::format("{}: image {}: layer {} ({}): {}", ar.container->path(), img.id.substr(0, 19), position, name,
                       e.what.empty() ? e.to_string() : e.what);
}

std::vector<std::optional<std::uint64_t>> layer_sizes(const image::Archive& ar, const image::Image& img,
                                                      const GlobalOptions& g) {
    archive::ScanOptions scan;
    scan.walk_tar = true;
    auto facts = image::layer_facts(ar, image::layers_of(img), scan, job_count(g));
    std::vector<std::optional<std::uint64_t>> out;
    for (std::size_t i = 0; i < facts.size(); ++i) {
        const auto& f = facts[i];
        if (f.stats && f.stats->is_tar) {
            out.push_back(f.stats->content_size);
            continue;
        }
        if (f.error) print_warning(layer_message(ar, img, i, *f.error));
        else if (f.stats && f.stats->decode_error) print_warning(layer_message(ar, img, i, *f.stats->decode_error));
        out.push_back(std::nullopt);
    }
    return out;
}

std::uint64_t image_size(const std::vector<std::optional<std::uint64_t>>& sizes) {
    std::uint64_t total = 0;
    for (const auto& s : sizes) total += s.value_or(0);
    return total;
}

void write_out(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

report::Sink stdout_sink() {
    return [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); };
}

}  // namespace tarsier::cli

namespace tarsier::cli {

LocalZone local_zone(std::int64_t unix_seconds) {
    LocalZone z;
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    if (localtime_r(&t, &tm)) {
        z.offset = static_cast<std::int32_t>(tm.tm_gmtoff);
        z.name = tm.tm_zone ? tm.tm_zone : "";
    }
    return z;
}

}  // namespace tarsier::cli

namespace tarsier::cli {

util::Result<std::vector<std::shared_ptr<const archive::LayerIndex>>> layer_indexes(const image::Archive& ar,
                                                                                    const image::Image& img,
                                                                                    const GlobalOptions& g) {
    archive::ScanOptions scan;
    scan.walk_tar = true;
    scan.index = g.sha256_content ? archive::ContentDigest::sha256 : archive::ContentDigest::xxh128;
    scan.max_index_entries = g.max_entries;
    scan.max_index_name_bytes = g.max_entries * 256;
    auto facts = image::layer_facts(ar, image::layers_of(img), scan, job_count(g));
    std::vector<std::shared_ptr<const archive::LayerIndex>> out;
    for (std::size_t i = 0; i < facts.size(); ++i) {
        const auto& f = facts[i];
        const auto& layer = ar.layers[img.layers[i].layer];
        std::string where = fmt::format("layer {} ({})", i, layer.digest.empty() ? layer.entry : layer.digest);
        if (!f.present) return util::fail(util::ErrorKind::malformed, where, "absent: " + layer.absent_reason);
        if (f.error) return util::fail(f.error->at(where));
        if (f.stats->decode_error) return util::fail(f.stats->decode_error->at(where));
        if (!f.stats->index) return util::fail(util::ErrorKind::malformed, where, "no file index");
        out.push_back(f.stats->index);
    }
    return out;
}

}  // namespace tarsier::cli

namespace tarsier::cli {

int fail_with(const util::Error& e, const std::string& file) {
    util::Error full = file.empty() ? e : e.in_file(file);
    print_error(full);
    return exit_code(full);
}

util::Result<Selected> open_image(const std::string& path, const std::string& selector, const GlobalOptions& g, bool index) {
    auto ar = open_archive(path, g, index);
    if (!ar) return ar.failure();
    Selected s{std::move(*ar), nullptr};
    auto img = image::select_image(s.archive, selector);
    if (!img) return util::fail(img.error().in_file(path));
    s.image = *img;
    return s;
}

}  // namespace tarsier::cli
