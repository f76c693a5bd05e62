#pragma once
/// The report page's Content-Security-Policy: inline blocks allowed by their hashes.
/// (Text from the archive goes through xml_escape, which is also HTML's escaping.)

#include <string>
#include <string_view>

namespace tarsier::report {

/// The CSP source for an inline block: "'sha256-<base64>'" of its exact bytes.
std::string csp_hash(std::string_view block);

}  // namespace tarsier::report
