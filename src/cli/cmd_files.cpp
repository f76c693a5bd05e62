// tarsier files ARCHIVE [IMAGE] [--layer N] [PATH|GLOB...]: the merged filesystem.
#include <fnmatch.h>

#include "cli/commands.hpp"
#include "fs/tree.hpp"
#include "image/select.hpp"
#include "report/changes_view.hpp"

namespace tarsier::cli {

namespace {

/// A path matches a pattern when the pattern is a glob that matches it, or the path is
/// the pattern or below it. Patterns are absolute ("/etc", "/usr/bin/*").
bool matches(std::string_view path, const std::vector<std::string>& patterns) {
    if (patterns.empty()) return true;
    std::string p = "/" + std::string(path);
    for (const auto& pat : patterns) {
        std::string a = pat.starts_with("/") ? pat : "/" + pat;
        while (a.size() > 1 && a.back() == '/') a.pop_back();
        if (p == a || (a == "/") || p.starts_with(a + "/")) return true;
        if (::fnmatch(a.c_str(), p.c_str(), FNM_PATHNAME) == 0) return true;
    }
    return false;
}

}  // namespace

void add_files(CLI::App& app, GlobalOptions& g, Runner& run) {
    struct Opts {
        std::string archive, layer, format;
        std::vector<std::string> rest;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("files", "List the merged filesystem after a layer, like 'tar -tv'");
    sub->add_option("ARCHIVE", o->archive, "image archive, OCI layout directory, or - for standard input")->required();
    sub->add_option("IMAGE_AND_PATHS", o->rest,
                    "an optional IMAGE (reference, ID prefix or @N), then paths or globs (absolute, e.g. /etc or '/usr/bin/*')");
    sub->add_option("--layer", o->layer, "the filesystem after this layer: position or digest prefix (default: the top)")
        ->type_name("N|DIGEST");
    sub->add_option("--format", o->format, "'text' (default) or 'json'")->check(CLI::IsMember({"text", "json"}));
    add_global_options(*sub, g);
    add_content_digest_option(*sub, g);
    sub->callback([o, &g, &run] {
        run = [o, &g]() -> int {
            // The first argument is an image selector unless it is a path (starts with '/').
            std::string selector;
            std::vector<std::string> patterns = o->rest;
            if (!patterns.empty() && !patterns.front().starts_with("/")) {
                selector = patterns.front();
                patterns.erase(patterns.begin());
            }
            auto sel = open_image(o->archive, selector, g, true);
            if (!sel) return fail_with(sel.error());
            auto chosen = select_layer(sel->archive, *sel->image, o->layer);
            if (!chosen) return fail_with(chosen.error(), o->archive);
            auto indexes = layer_indexes(sel->archive, *sel->image, g);
            if (!indexes) return fail_with(indexes.error(), o->archive);
            std::size_t top = chosen->value_or(indexes->size() - 1);
            fs::MergedTree tree;
            for (std::size_t i = 0; i <= top && i < indexes->size(); ++i) tree.apply((*indexes)[i], i, false);
            std::vector<const fs::Node*> nodes;
            for (const auto& node : tree.nodes())
                if (matches(node.path(), patterns)) nodes.push_back(&node);
            auto out = stdout_sink();
            if (o->format == "json") report::render_files_json(nodes, out);
            else report::render_files_text(nodes, out);
            return kExitOk;
        };
    });
}

}  // namespace tarsier::cli
