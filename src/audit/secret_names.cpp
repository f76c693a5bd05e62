#include "audit/secret_names.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace tarsier::audit {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c); });
    return out;
}

bool any_of(std::string_view s, std::initializer_list<std::string_view> words) {
    return std::any_of(words.begin(), words.end(), [s](std::string_view w) { return s == w; });
}

bool is_ssh_private_key(std::string_view base) {
    if (any_of(base, {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk", "identity"})) return true;
    return base.starts_with("ssh_host_") && base.ends_with("_key");
}

bool is_certificate_bundle(std::string_view path, std::string_view base) {
    if (path.starts_with("etc/ssl/certs/") || path.starts_with("usr/share/ca-certificates/")) return true;
    return base.find("cert") != std::string_view::npos || base.find("ca-bundle") != std::string_view::npos ||
           base.find("chain") != std::string_view::npos;
}

}  // namespace

bool is_secret_file_name(std::string_view raw_path) {
    std::string path = lower(raw_path);
    auto slash = path.rfind('/');
    std::string_view base = slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
    if (base.empty()) return false;
    if (is_ssh_private_key(base)) return true;
    if (base.ends_with(".pem") || base.ends_with(".key")) return !is_certificate_bundle(path, base);
    if (base.ends_with(".p12") || base.ends_with(".pfx")) return true;
    if (base == ".env") return true;
    if (base.starts_with(".env.")) {
        std::string_view rest = base.substr(5);
        return !any_of(rest, {"example", "sample", "template", "dist", "defaults"});
    }
    if (any_of(base, {".npmrc", ".netrc", "_netrc", ".pgpass", ".git-credentials"})) return true;
    if (base.starts_with("credentials")) {
        // botocore/credentials.py, google/auth/credentials.py: code about credentials.
        auto dot = base.rfind('.');
        std::string_view ext = dot == std::string_view::npos ? std::string_view() : base.substr(dot + 1);
        return !any_of(ext, {"py", "pyc", "pyi", "js", "mjs", "cjs", "ts", "map", "go", "rb", "java", "class", "c", "h", "cc",
                             "cpp", "hpp", "rs", "php", "md", "rst", "html", "so"});
    }
    std::string_view p(path);
    return p.ends_with(".docker/config.json") && (p == ".docker/config.json" || p.ends_with("/.docker/config.json"));
}

bool is_secret_env_name(std::string_view name) {
    std::string n = upper(name);
    if (n.ends_with("_FILE")) return false;
    std::vector<std::string> words;
    std::string cur;
    for (char c : n) {
        if (c == '_' || c == '-' || c == '.') {
            words.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    words.push_back(std::move(cur));
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w.empty()) continue;
        if (w.find("PASSWORD") != std::string::npos || w.find("PASSWD") != std::string::npos ||
            w.find("SECRET") != std::string::npos)
            return true;
        if (any_of(w, {"TOKEN", "TOKENS", "APIKEY", "CREDENTIAL", "CREDENTIALS"})) return true;
        if (w.ends_with("TOKEN") || w.ends_with("APIKEY") || w.ends_with("ACCESSKEY") || w.ends_with("PRIVATEKEY")) return true;
        if (any_of(w, {"KEY", "KEYS"})) {
            bool public_key = i > 0 && any_of(words[i - 1], {"GPG", "PGP", "PUBLIC"});
            if (!public_key) return true;
        }
    }
    return false;
}

bool runs_as_root(std::string_view user) {
    std::string_view u = user.substr(0, user.find(':'));
    return u.empty() || u == "0" || u == "root";
}

}  // namespace tarsier::audit
