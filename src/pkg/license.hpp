#pragma once
/// What a package database's license string is, in SPDX terms: SBOM formats take an SPDX
/// identifier or expression where there is one and free text otherwise.

#include <string_view>

namespace tarsier::pkg {

enum class LicenseForm : unsigned char {
    none,        ///< empty
    spdx_id,     ///< one identifier of the SPDX License List ("MIT", "GPL-2.0-or-later")
    expression,  ///< a valid SPDX expression of listed identifiers ("MIT AND BSD-2-Clause", "(A OR B)", "GPL-2.0+", "X WITH Y")
    text,        ///< anything else ("GPLv2+", "MIT BSD", "Public Domain")
};

/// Classifies a license string as SPDX (license-expressions chapter of SPDX 2.3, with the
/// identifiers of the SPDX License List; LicenseRef-/DocumentRef- references count).
LicenseForm license_form(std::string_view license);

/// Whether `id` is on the SPDX License List (licenses and exceptions).
bool is_spdx_id(std::string_view id);

}  // namespace tarsier::pkg
