#pragma once
/// Choosing one image of an archive by what the user typed.

#include <string_view>

#include "image/model.hpp"

namespace tarsier::image {

/// Finds the image `selector` names: "" (the only image), "@N" (position in the archive,
/// counting from 0 as skopeo does), a reference ("nginx" means "nginx:latest"; the
/// "docker.io/library/" prefix is optional; "name@sha256:…" matches a repo digest or
/// manifest digest, "@sha256:…" a manifest or index digest alone), or an image ID or
/// unique ID prefix ("sha256:" optional).
/// Fails with `usage` when nothing or more than one image matches; the message lists
/// the choices, one per line after the first. When the selector names an index.json entry
/// that --platform left out (Archive::platform_absent), the error names that entry
/// ("index.json/manifests/4 (v2)") and says which platforms it has.
util::Result<const Image*> select_image(const Archive& archive, std::string_view selector);

/// The lines that list an archive's images as choices: "@N  <id12>  <references>".
std::string describe_choices(const Archive& archive);

}  // namespace tarsier::image
