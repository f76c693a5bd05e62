#pragma once
/// Standard base64 (RFC 4648, with padding), as descriptor `data` fields and apk's "Q1"
/// checksums use it.

#include <optional>
#include <string>
#include <string_view>

namespace tarsier::digest {

/// Decodes `text`; nullopt when it is not valid padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace tarsier::digest
