#include "report/xml_escape.hpp"

#include "util/strings.hpp"

namespace tarsier::report {

std::string xml_escape(std::string_view s) {
    std::string in = util::escape_for_display(s);  // no control characters reach the XML
    std::string out;
    for (char c : in) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string xml_escape_lines(std::string_view s) {
    std::string out;
    std::size_t start = 0;
    while (start < s.size()) {
        auto nl = s.find('\n', start);
        if (nl == std::string_view::npos) nl = s.size();
        out += xml_escape(s.substr(start, nl - start));
        if (nl < s.size()) out += '\n';
        start = nl + 1;
    }
    return out;
}

}  // namespace tarsier::report
