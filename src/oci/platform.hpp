#pragma once
/// Image platforms (`linux/arm64/v8`, `windows(10.0.17763)/amd64`): parsing, normalising,
/// formatting and matching them the way containerd's platforms package does
/// (github.com/containerd/platforms@09756f5: platforms.go, database.go,
/// platform_windows_compat.go), which Docker uses for `--platform`.

#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace tarsier::oci {

/// An OCI platform (image-index.md `platform`). Plain value; owns its strings.
struct Platform {
    std::string os;                        ///< "linux", "windows", ...
    std::string architecture;              ///< GOARCH spelling: "amd64", "arm64", "arm", "386", ...
    std::string variant;                   ///< "v7", "v8", ...; may be empty
    std::string os_version;                ///< e.g. "10.0.17763.1879" (Windows)
    std::vector<std::string> os_features;  ///< e.g. {"win32k"}

    /// Parses a containerd platform specifier `os[(version[+feature]*)]/arch[/variant]`:
    /// the OS is lower-cased (`macos` -> `darwin`), os options are %-decoded, and the
    /// architecture goes through containerd's normalisation (`x86_64`/`x86-64` -> amd64,
    /// `aarch64` -> arm64, `i386` -> 386, `armhf` -> arm, `armel` -> arm/v6) with
    /// containerd's display choices: `os/arm` and `os/arm/7` give arm with variant "" and
    /// "v7"; `os/arm64/v8` and `os/arm64/8` give variant "v8", `os/arm64` gives "".
    /// A single element is completed as containerd's Parse does, except that tarsier never
    /// looks at the machine it runs on, so its default platform linux/amd64 stands for the
    /// host's: a known architecture gets the OS "linux" (`arm64` -> linux/arm64, `armhf`
    /// -> linux/arm/v7, as `docker --platform arm64` on a Linux host), and a known OS gets
    /// the architecture "amd64" (`linux` -> linux/amd64, `windows` -> windows/amd64, with
    /// no os.version). Fails with ErrorKind::usage on a wildcard, an empty or bad element,
    /// bad %-escapes, a single element that is neither a known OS nor a known architecture
    /// (containerd's knownOS/knownArch lists), or more than three elements.
    static util::Result<Platform> parse(std::string_view specifier);

    /// containerd Format: "os/arch[/variant]" (Go path.Join, so empty parts drop out),
    /// or "unknown" when os is empty.
    [[nodiscard]] std::string to_string() const;
    /// containerd FormatAll: like to_string() but with "(version+feature...)" after the OS
    /// when either is set; features sorted, empty and repeated ones left out, and `%+()/`
    /// %-encoded, so parse(to_string_all()) gives the same version and features back.
    [[nodiscard]] std::string to_string_all() const;

    bool operator==(const Platform&) const = default;
};

/// containerd Normalize: lower-cases os, architecture and variant, maps `macos` to
/// `darwin`, and canonicalises architecture/variant pairs: i386 -> 386 (no variant);
/// x86_64, x86-64 -> amd64, variant v1 -> ""; aarch64 -> arm64, variants 8, v8, v8.0 -> ""
/// and 9, 9.0, v9.0 -> v9; armhf -> arm/v7; armel -> arm/v6; arm variants "" and 7 -> v7,
/// 5, 6, 8 -> v5, v6, v8. Sorts os_features and drops duplicates. An empty os stays empty
/// (containerd would put in the host's OS).
Platform normalize(Platform p);

/// Whether an image for `have` satisfies a request for `want`, as containerd's
/// NewMatcher(want).Match(have) (= platforms.OnlyStrict) decides: after normalize() of both
/// sides, os, architecture and variant must be equal — so an empty variant is not a
/// wildcard, it is the default one (arm "" == v7, arm64 "" == v8, amd64 "" == v1, other
/// architectures "" only matches ""); have's os_features must be a subset of want's. When
/// want.os is "windows", one "win32k" is ignored in have's features, and when want's
/// os_version parses as "major.minor.build[...]" (not 0.0.0) and have's is non-empty, have's
/// must be compatible: same major.minor, and for a want build below 20348 (ltsc2022) the
/// same build, otherwise a build from the newest LTSC build below want's (20348 or 26100;
/// 20348 when none is) up to want's own (an unparseable have version never is).
bool matches(const Platform& want, const Platform& have);

}  // namespace tarsier::oci
