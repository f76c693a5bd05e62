#pragma once
/// Turning the names archives carry (RepoTags, index annotations, `repositories`) into
/// Docker's familiar repository:tag form.

#include <optional>
#include <string>
#include <string_view>

#include "image/model.hpp"
#include "oci/descriptor.hpp"

namespace tarsier::image {

/// Splits a reference into familiar repository and tag ("docker.io/library/nginx:1" ->
/// {"nginx", "1"}); a digest part is dropped; a missing tag stays empty. The repository is
/// oci::Reference's familiar_name(); a name that reference grammar refuses is kept as written.
RepoTag split_reference(std::string_view ref);

/// The familiar repository of a full name ("docker.io/library/x" -> "x"): oci::Reference's
/// familiar_name(), or `name` as written when it is no valid reference.
std::string familiar_repository(std::string_view name);

/// The reference an index.json descriptor gives: `io.containerd.image.name` when present,
/// else `org.opencontainers.image.ref.name` (a tag alone gives an empty repository).
std::optional<RepoTag> descriptor_reference(const oci::Descriptor& d);

}  // namespace tarsier::image
