#include "digest/digest.hpp"

#include <openssl/evp.h>

#include <cassert>
#include <new>
#include <stdexcept>

#include "util/strings.hpp"

namespace tarsier::digest {

namespace {

using util::ErrorKind;
using util::fail;

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_separator(char c) { return c == '+' || c == '.' || c == '_' || c == '-'; }
bool is_encoded_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '=' ||
           c == '_' || c == '-';
}
bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

/// algorithm ::= component (separator component)*, component ::= [a-z0-9]+
bool valid_algorithm(std::string_view a) {
    if (a.empty()) return false;
    bool after_separator = true;  // the first character must start a component
    for (char c : a) {
        if (is_lower_alnum(c)) {
            after_separator = false;
        } else if (is_separator(c) && !after_separator) {
            after_separator = true;
        } else {
            return false;
        }
    }
    return !after_separator;
}

/// The hex length a registered algorithm requires, or 0 for an algorithm tarsier does not know.
std::size_t registered_hex_length(std::string_view algorithm) {
    if (algorithm == "sha256") return 64;
    if (algorithm == "sha512") return 128;
    return 0;
}

util::Failure invalid(std::string_view s, std::string_view why) {
    return fail(ErrorKind::malformed, "",
                "invalid digest \"" + util::escape_for_display(s) + "\": " + std::string(why));
}

const EVP_MD* evp_of(Algorithm alg) {
    switch (alg) {
        case Algorithm::sha256: return EVP_sha256();
        case Algorithm::sha512: return EVP_sha512();
        case Algorithm::md5: return EVP_md5();
        case Algorithm::sha1: return EVP_sha1();
    }
    return EVP_sha256();
}

std::string_view name_of(Algorithm alg) {
    switch (alg) {
        case Algorithm::sha256: return "sha256";
        case Algorithm::sha512: return "sha512";
        case Algorithm::md5: return "md5";
        case Algorithm::sha1: return "sha1";
    }
    return "sha256";
}

struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

util::Result<Digest> Digest::parse(std::string_view s) {
    std::size_t colon = s.find(':');
    if (colon == std::string_view::npos) return invalid(s, "no ':' between algorithm and encoded part");
    std::string_view algorithm = s.substr(0, colon);
    std::string_view encoded = s.substr(colon + 1);
    if (!valid_algorithm(algorithm)) return invalid(s, "bad algorithm name");
    if (encoded.empty()) return invalid(s, "empty encoded part");
    for (char c : encoded) {
        if (!is_encoded_char(c)) return invalid(s, "bad character in encoded part");
    }
    if (std::size_t want = registered_hex_length(algorithm); want != 0) {
        if (encoded.size() != want) {
            return invalid(s, std::string(algorithm) + " needs " + std::to_string(want) + " hex digits, not " +
                                  std::to_string(encoded.size()));
        }
        for (char c : encoded) {
            if (!is_lower_hex(c)) return invalid(s, std::string(algorithm) + " needs lowercase hex digits");
        }
    }
    return Digest{std::string(algorithm), std::string(encoded)};
}

bool Digest::verifiable() const { return algorithm == "sha256" || algorithm == "sha512"; }

Algorithm Digest::verifiable_algorithm() const {
    assert(verifiable());
    return algorithm == "sha512" ? Algorithm::sha512 : Algorithm::sha256;
}

struct Hasher::Impl {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx;
};

Hasher::Hasher(Algorithm alg) : m_impl(std::make_unique<Impl>()), m_alg(alg) {
    m_impl->ctx.reset(EVP_MD_CTX_new());
    if (!m_impl->ctx) throw std::bad_alloc();
    // Only fails when OpenSSL cannot allocate or the provider lacks SHA-2, neither of which a
    // caller can handle better than by unwinding.
    if (EVP_DigestInit_ex(m_impl->ctx.get(), evp_of(alg), nullptr) != 1) {
        throw std::runtime_error("OpenSSL: cannot initialise " + std::string(name_of(alg)));
    }
}

Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(std::span<const std::uint8_t> bytes) {
    assert(m_impl && m_impl->ctx);
    if (bytes.empty()) return;
    // EVP_DigestUpdate cannot fail for an initialised software SHA-2 context.
    EVP_DigestUpdate(m_impl->ctx.get(), bytes.data(), bytes.size());
}

void Hasher::update(std::string_view bytes) {
    update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::string Hasher::finish_bytes() {
    assert(m_impl && m_impl->ctx);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_impl->ctx.get(), md, &len);
    m_impl->ctx.reset();
    return std::string(reinterpret_cast<const char*>(md), len);
}

std::string Hasher::finish() {
    std::string_view name = name_of(m_alg);
    std::string out(name);
    out.push_back(':');
    out += hex(finish_bytes());
    return out;
}

std::string hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * bytes.size());
    for (unsigned char c : bytes) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0x0F]);
    }
    return out;
}

std::string short_id(std::string_view digest_or_hex, std::size_t length) {
    if (const auto colon = digest_or_hex.find(':'); colon != std::string_view::npos)
        digest_or_hex.remove_prefix(colon + 1);
    return std::string(digest_or_hex.substr(0, length));
}

bool matches_prefix(std::string_view typed, std::string_view digest) {
    auto split = [](std::string_view d) -> std::pair<std::string_view, std::string_view> {
        auto colon = d.find(':');
        if (colon == std::string_view::npos) return {{}, d};
        return {d.substr(0, colon), d.substr(colon + 1)};
    };
    auto [alg, hex] = split(typed);
    auto [dalg, dhex] = split(digest);
    return !hex.empty() && !dhex.empty() && (alg.empty() || alg == dalg) && dhex.starts_with(hex);
}

std::string short_digest(std::string_view digest, std::size_t length) {
    const auto colon = digest.find(':');
    if (colon == std::string_view::npos) return short_id(digest, length);
    return std::string(digest.substr(0, colon + 1)) + short_id(digest, length);
}

std::string blob_path(const Digest& d) { return "blobs/" + d.algorithm + "/" + d.encoded; }

util::Result<Digest> parse_blob_path(std::string_view name) {
    constexpr std::string_view kBlobs = "blobs/";
    if (!name.starts_with(kBlobs))
        return util::fail(util::ErrorKind::malformed, std::string(name), "not a blob path (blobs/<algorithm>/<encoded>)");
    std::string rest(name.substr(kBlobs.size()));
    // "<algorithm>/<encoded>" -> "<algorithm>:<encoded>"; without a '/' the rest fails the
    // digest grammar as it stands.
    if (const auto slash = rest.find('/'); slash != std::string::npos) rest[slash] = ':';
    return Digest::parse(rest);
}

std::string sha256(std::string_view bytes) { return compute(Algorithm::sha256, bytes); }

std::string compute(Algorithm alg, std::string_view bytes) {
    Hasher h(alg);
    h.update(bytes);
    return h.finish();
}

}  // namespace tarsier::digest
