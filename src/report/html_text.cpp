#include "report/html_text.hpp"

#include "digest/digest.hpp"
#include "util/strings.hpp"
#include "verify/base64.hpp"

namespace tarsier::report {

std::string html_text(std::string_view s) {
    std::string shown = util::escape_for_display(s);
    std::string out;
    out.reserve(shown.size());
    for (char c : shown) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string csp_hash(std::string_view block) {
    digest::Hasher h(digest::Algorithm::sha256);
    h.update(block);
    return "'sha256-" + verify::base64_encode(h.finish_bytes()) + "'";
}

}  // namespace tarsier::report
