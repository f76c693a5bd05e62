#include <fmt/format.h>

#include "image/resolver.hpp"

namespace tarsier::image {

using util::ErrorKind;
using util::fail;
using util::Result;

Result<Archive> resolve_keep(std::unique_ptr<archive::Container>& container, const ResolveOptions& options) {
    Archive ar;
    ar.container = std::move(container);
    auto give_back = [&](util::Error e) {
        container = std::move(ar.container);
        return fail(std::move(e));
    };
    const std::string path = ar.container->path();
    for (const auto& f : ar.container->findings()) ar.findings.push_back({"warning", f.code, f.where, f.message});
    auto want = oci::Platform::parse(options.platform);
    if (!want) return give_back(want.error().in_file(path));
    detail::Resolver r(ar, options, std::move(*want));
    const auto& c = *ar.container;
    Result<void> done;
    if (c.exists("manifest.json")) done = detail::resolve_docker_archive(r);
    else if (c.exists("index.json")) done = detail::resolve_oci_layout(r);
    else if (c.exists("repositories")) done = detail::resolve_docker_v1(r);
    else done = detail::resolve_bare_layer(r);
    if (!done) return give_back(done.error().in_file(path));
    r.report_not_images();
    return ar;
}

Result<Archive> resolve(std::unique_ptr<archive::Container> container, const ResolveOptions& options) {
    return resolve_keep(container, options);
}

Result<Archive> open_archive(const std::string& path, const archive::OpenOptions& open_options,
                             const ResolveOptions& options) {
    auto c = archive::open_container(path, open_options);
    if (!c) return c.failure();
    return resolve(std::move(*c), options);
}

}  // namespace tarsier::image
