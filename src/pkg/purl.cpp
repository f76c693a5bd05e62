#include "pkg/purl.hpp"

#include <cctype>

namespace tarsier::pkg {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool lowers_name(std::string_view type) { return type == "deb" || type == "apk"; }
bool lowers_namespace(std::string_view type) { return type == "deb" || type == "apk" || type == "rpm"; }

const char* default_namespace(Ecosystem e) {
    switch (e) {
    case Ecosystem::deb: return "debian";
    case Ecosystem::apk: return "alpine";
    case Ecosystem::rpm: return "";
    }
    return "";
}

}  // namespace

std::string purl_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string Purl::to_string() const {
    std::string t = lower(type);
    std::string out = "pkg:" + t + "/";
    if (!namespace_.empty()) {
        std::string ns = lowers_namespace(t) ? lower(namespace_) : namespace_;
        // Each segment is encoded on its own; '/' separates them.
        std::size_t start = 0;
        while (start <= ns.size()) {
            std::size_t slash = ns.find('/', start);
            if (slash == std::string::npos) slash = ns.size();
            if (slash > start) out += purl_encode(std::string_view(ns).substr(start, slash - start)) + "/";
            start = slash + 1;
        }
    }
    out += purl_encode(lowers_name(t) ? lower(name) : name);
    if (!version.empty()) out += "@" + purl_encode(version);
    char sep = '?';
    for (const auto& [key, value] : qualifiers) {
        if (value.empty()) continue;
        out += sep;
        out += lower(key) + "=" + purl_encode(value);
        sep = '&';
    }
    return out;
}

Purl purl_of(const Package& p, const OsRelease& os) {
    Purl u;
    u.type = ecosystem_name(p.ecosystem);
    u.namespace_ = os.id.empty() ? default_namespace(p.ecosystem) : os.id;
    u.name = p.name;
    u.version = p.version;
    u.qualifiers["arch"] = p.arch;
    if (!os.id.empty() && !os.version_id.empty()) u.qualifiers["distro"] = os.id + "-" + os.version_id;
    if (p.ecosystem == Ecosystem::rpm && p.epoch) u.qualifiers["epoch"] = std::to_string(*p.epoch);
    switch (p.ecosystem) {
    case Ecosystem::deb:
        if (!p.source_name.empty() && p.source_name != p.name) {
            u.qualifiers["upstream"] = p.source_version.empty() || p.source_version == p.version
                                           ? p.source_name
                                           : p.source_name + "@" + p.source_version;
        }
        break;
    case Ecosystem::apk:
        if (!p.source_name.empty() && p.source_name != p.name) u.qualifiers["upstream"] = p.source_name;
        break;
    case Ecosystem::rpm:
        if (!p.source_rpm.empty()) u.qualifiers["upstream"] = p.source_rpm;
        break;
    }
    return u;
}

}  // namespace tarsier::pkg
