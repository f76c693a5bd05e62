#pragma once
/// Content digests: parsing the OCI digest grammar and hashing bytes (SHA-256, SHA-512).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace tarsier::digest {

/// A hash algorithm tarsier can compute. md5 and sha1 are only for the file digests that
/// package databases record (dpkg md5sums, apk Z:, rpm), never for an OCI digest.
enum class Algorithm { sha256, sha512, md5, sha1 };

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

/// The first `length` characters of a digest's encoded part, as Docker shortens IDs:
/// "sha256:4bcff63911fc..." -> "4bcff63911fc". Everything up to the first ':' is dropped
/// (a bare hex string is taken as it is); a shorter encoded part is returned whole.
std::string short_id(std::string_view digest_or_hex, std::size_t length = 12);
/// short_id() with the algorithm kept: "sha256:4bcff63911fc". A string without ':' gives
/// short_id() alone.
std::string short_digest(std::string_view digest, std::size_t length = 12);

/// Whether what a user typed names `digest` by a prefix: "abc123" (any algorithm) or
/// "sha256:abc123" (that algorithm only) against "sha256:abc123…" or a bare hex ID. An
/// empty prefix names nothing.
bool matches_prefix(std::string_view typed, std::string_view digest);

/// Where an OCI image layout (and docker save >= 25) keeps the blob with digest `d`:
/// "blobs/<algorithm>/<encoded>" (image-layout.md).
std::string blob_path(const Digest& d);
/// The digest a layout path names: "blobs/sha256/<hex>" -> sha256:<hex>. Fails
/// (malformed) when `name` is not under "blobs/" or the rest is not
/// "<algorithm>/<encoded>" of a valid digest (Digest::parse's message).
util::Result<Digest> parse_blob_path(std::string_view name);

/// Lowercase hex digits of `bytes`, two a byte.
std::string hex(std::string_view bytes);
/// "sha256:<hex>" of `bytes`.
std::string sha256(std::string_view bytes);
/// Digest of `bytes` with `alg`, as "algorithm:hex".
std::string compute(Algorithm alg, std::string_view bytes);

}  // namespace tarsier::digest
