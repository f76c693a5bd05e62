#pragma once
/// Text from an archive made safe for an HTML page: shown as text, never as markup.

#include <string>
#include <string_view>

namespace tarsier::report {

/// `s` as HTML text or a quoted attribute value: bytes that are not printable UTF-8
/// become `\xNN` (util::escape_for_display), then & < > " ' become character references.
std::string html_text(std::string_view s);

/// The CSP source for an inline block: "'sha256-<base64>'" of its exact bytes.
std::string csp_hash(std::string_view block);

}  // namespace tarsier::report
