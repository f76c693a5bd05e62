#pragma once
/// Package URLs (purl-spec, github.com/package-url/purl-spec): the one spelling of a
/// package's identity that SBOM consumers match vulnerabilities on.

#include <map>
#include <string>
#include <string_view>

#include "pkg/package.hpp"

namespace tarsier::pkg {

/// A purl's parts, unencoded.
struct Purl {
    std::string type;       ///< "deb", "apk", "rpm", "generic", ...
    std::string namespace_; ///< "debian", "alpine", "fedora", ... ("" for none)
    std::string name;
    std::string version;    ///< "" for none
    std::map<std::string, std::string> qualifiers;  ///< sorted by key; empty values are left out

    /// The canonical string: type and (for deb, apk, rpm) namespace lower-cased, deb and
    /// apk names lower-cased, every part percent-encoded except unreserved characters
    /// and ':', qualifiers sorted by key.
    [[nodiscard]] std::string to_string() const;
};

/// The purl of an installed package on the distribution `os`: namespace from the
/// os-release ID (deb: debian, apk: alpine when there is none), qualifiers arch, distro
/// ("<ID>-<VERSION_ID>"), epoch (rpm, when the header has one) and upstream (the source
/// package when it differs from the binary one).
Purl purl_of(const Package& p, const OsRelease& os);

/// Percent-encodes `s` as purl-spec asks: all but A-Z a-z 0-9 . - _ ~ and ':'.
std::string purl_encode(std::string_view s);

}  // namespace tarsier::pkg
