#pragma once
/// The rules about the image configuration: the user it runs as, and environment variables
/// whose names look like secrets (their values are never read into a finding).

#include <vector>

#include "audit/audit.hpp"
#include "oci/config.hpp"

namespace tarsier::audit {

/// Appends runs-as-root and secret-env findings for `config` to `out`.
void check_config(const oci::RunConfig& config, std::vector<Finding>& out);

}  // namespace tarsier::audit
