#include "report/sbom_subject.hpp"

#include <cctype>

#include "digest/digest.hpp"
#include "pkg/purl.hpp"

namespace tarsier::report::sbom {

Subject subject_of(const image::Image& img) {
    Subject s;
    for (const auto& r : img.references) {
        if (r.repository.empty()) continue;
        s.name = r.repository;
        s.tag = r.tag;
        break;
    }
    s.digest = !img.manifest_digest.empty() ? img.manifest_digest : img.id;
    if (s.name.empty()) s.name = s.digest.empty() ? "image" : digest::short_digest(s.digest);
    s.platform = img.platform();
    if (!img.manifest_digest.empty()) {
        // purl-spec's oci type: the name is the repository's last path segment, the version
        // the manifest digest; repository_url and tag say where it was named from.
        pkg::Purl p;
        p.type = "oci";
        std::string_view repo = s.name;
        bool named = !img.references.empty() && !img.references.front().repository.empty();
        auto slash = repo.rfind('/');
        p.name = std::string(slash == std::string_view::npos ? repo : repo.substr(slash + 1));
        if (!named) p.name = "image";
        for (char& c : p.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        p.version = img.manifest_digest;
        auto plat = img.platform_of();
        p.qualifiers["arch"] = plat.architecture;
        if (named) p.qualifiers["repository_url"] = s.name;
        p.qualifiers["tag"] = s.tag;
        s.purl = p.to_string();
    }
    return s;
}

std::string uuid_from(std::string_view seed) {
    std::string h = digest::sha256(seed).substr(7);  // 64 hex digits
    // Version 4 and RFC 4122 variant bits, so that validators accept it as a UUID.
    h[12] = '4';
    static constexpr char kVariant[] = "89ab";
    h[16] = kVariant[std::stoi(std::string(1, h[16]), nullptr, 16) & 3];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

std::string layer_context(const image::LayerId& layer) {
    std::string out = "layer " + std::to_string(layer.position);
    const std::string& id = !layer.diff_id.empty() ? layer.diff_id : layer.digest;
    if (!id.empty()) out += " " + id;
    if (!layer.created_by.empty()) out += ": " + layer.created_by;
    return out;
}

const image::LayerId* layer_at(const query::PackagesReport& report, std::size_t i) {
    return i < report.layers.size() ? &report.layers[i] : nullptr;
}

HashParts hash_parts(std::string_view d) {
    auto colon = d.find(':');
    if (colon == std::string_view::npos) return {};
    std::string_view alg = d.substr(0, colon);
    std::string hex(d.substr(colon + 1));
    for (char& c : hex) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
    }
    if (alg == "md5" && hex.size() == 32) return {"MD5", "MD5", hex};
    if (alg == "sha1" && hex.size() == 40) return {"SHA-1", "SHA1", hex};
    if (alg == "sha256" && hex.size() == 64) return {"SHA-256", "SHA256", hex};
    if (alg == "sha384" && hex.size() == 96) return {"SHA-384", "SHA384", hex};
    if (alg == "sha512" && hex.size() == 128) return {"SHA-512", "SHA512", hex};
    return {};
}

}  // namespace tarsier::report::sbom
