#include "query/cat.hpp"

#include <array>

#include <fmt/format.h>

#include "archive/layer_tar.hpp"
#include "query/merged.hpp"
#include "util/path.hpp"
#include "util/strings.hpp"

namespace tarsier::query {

using util::ErrorKind;
using util::fail;

namespace {

constexpr int kMaxLinks = 255;  // as the merged tree

std::string parent_of(std::string_view p) {
    auto s = p.rfind('/');
    return s == std::string_view::npos ? std::string() : std::string(p.substr(0, s));
}

/// The node `path` names, every symlink on the way resolved inside the root.
util::Result<const fs::Node*> resolve(const fs::MergedTree& tree, const std::string& asked) {
    std::string path = util::clean_path_clamped(asked);
    std::string shown = "/" + util::escape_for_display(path);
    for (int links = 0; links <= kMaxLinks; ++links) {
        auto landed = tree.resolve_parents(path);
        if (!landed) break;
        const fs::Node* node = tree.find(*landed);
        if (!node) {
            if (landed->empty() || tree.has_children(*landed)) return fail(ErrorKind::usage, shown, "is a directory");
            return fail(ErrorKind::not_found, shown, "no such file in the image");
        }
        if (node->entry->type != '2') return node;
        std::string_view target = node->entry->link();
        path = util::clean_path_clamped(target.starts_with('/') ? std::string(target)
                                                                 : parent_of(*landed) + "/" + std::string(target));
    }
    return fail(ErrorKind::usage, shown, "too many levels of symlinks (a loop?)");
}

}  // namespace

util::Result<std::vector<image::Finding>> cat(const image::Archive& ar, const image::Image& img, const CatOptions& options,
                                              const ByteSink& out) {
    // Only the one path is planned: the layers are read up to its entry only.
    auto plan = plan_merged(ar, img, MergedOptions{options.layer, {}, options.read});
    if (!plan) return plan.failure();
    if (plan->empty) return fail(ErrorKind::not_found, options.path, "the image has no layers");
    auto node = resolve(plan->tree, options.path);
    if (!node) return node.failure();
    std::string shown = "/" + util::escape_for_display((*node)->path());
    char type = (*node)->entry->type;
    if (type == '5') return fail(ErrorKind::usage, shown, "is a directory");
    if (type == '3' || type == '4') return fail(ErrorKind::usage, shown, "is a device");
    if (type == '6') return fail(ErrorKind::usage, shown, "is a FIFO");
    auto source = source_of(*plan, **node);
    if (!source) return fail(ErrorKind::not_found, shown, "a hardlink to a file that is not there");
    // One writer for the one entry: the first path fed by the source carries its bytes.
    struct One final : MergedWriter {
        const ByteSink& sink;
        explicit One(const ByteSink& s) : sink(s) {}
        util::Result<void> write(const MergedEntry& e, io::Reader* data) override {
            if (!data) return {};
            std::array<std::uint8_t, 1 << 16> buf{};
            for (std::uint64_t left = e.header.size; left > 0;) {
                auto n = data->read(std::span(buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), left))));
                if (!n) return n.failure();
                if (*n == 0) return fail(ErrorKind::truncated, e.header.path, "the layer ends inside this file's data");
                if (auto w = sink(std::span<const std::uint8_t>(buf.data(), *n)); !w) return w;
                left -= *n;
            }
            return {};
        }
    } writer(out);
    MergedPlan& p = *plan;
    for (auto& layer : p.feeds) layer.clear();
    p.feeds[source->layer][source->ordinal] = {*node};
    if (auto w = write_merged(ar, img, p, writer); !w) return w.failure();
    return std::move(p.findings);
}

}  // namespace tarsier::query
