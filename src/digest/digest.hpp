#pragma once
/// Content digests: parsing the OCI digest grammar and hashing bytes (SHA-256, SHA-512).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace tarsier::digest {

/// A hash algorithm tarsier can compute.
enum class Algorithm { sha256, sha512 };

/// A parsed digest `algorithm:encoded` (OCI descriptor.md grammar).
struct Digest {
    std::string algorithm;  ///< e.g. "sha256"
    std::string encoded;    ///< e.g. 64 lowercase hex digits

    /// Parses `s`. Fails (malformed) when it breaks the OCI grammar, or when a registered
    /// algorithm (sha256, sha512) has an encoded part of the wrong length or alphabet.
    static util::Result<Digest> parse(std::string_view s);
    /// Whether tarsier can compute this digest (sha256, sha512); other algorithms that
    /// follow the grammar parse, but cannot be verified.
    [[nodiscard]] bool verifiable() const;
    [[nodiscard]] Algorithm verifiable_algorithm() const;  ///< only when verifiable()
    /// "algorithm:encoded".
    [[nodiscard]] std::string str() const { return algorithm + ":" + encoded; }
    bool operator==(const Digest&) const = default;
    auto operator<=>(const Digest&) const = default;
};

/// Incremental hasher over OpenSSL EVP. Not copyable; movable.
class Hasher {
public:
    /// Starts a hash; throws std::bad_alloc when OpenSSL cannot allocate a context.
    explicit Hasher(Algorithm alg = Algorithm::sha256);
    ~Hasher();
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    void update(std::span<const std::uint8_t> bytes);
    void update(std::string_view bytes);
    /// Finishes and returns "algorithm:hex". The hasher must not be used afterwards.
    std::string finish();
    /// Finishes and returns the digest's bytes (32 for SHA-256). The hasher must not be
    /// used afterwards.
    std::string finish_bytes();
    [[nodiscard]] Algorithm algorithm() const { return m_alg; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    Algorithm m_alg;
};

/// Lowercase hex digits of `bytes`, two a byte.
std::string hex(std::string_view bytes);
/// "sha256:<hex>" of `bytes`.
std::string sha256(std::string_view bytes);
/// Digest of `bytes` with `alg`, as "algorithm:hex".
std::string compute(Algorithm alg, std::string_view bytes);

}  // namespace tarsier::digest
