#include "oci/platform.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <tuple>
#include <utility>

#include "util/path.hpp"
#include "util/strings.hpp"

// Facts from github.com/containerd/platforms@09756f5: platforms.go (Parse, Format,
// FormatAll, Normalize, NewMatcher), database.go (normalizeOS, normalizeArch) and
// platform_windows_compat.go (Windows OS version matching).

namespace tarsier::oci {
namespace {

using util::ErrorKind;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

/// specifierRe `^[A-Za-z0-9_.-]+$`: an architecture or variant element.
bool valid_element(std::string_view s) {
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

/// The characters osRe allows in an OS option (version or feature): [A-Za-z0-9_.%-].
bool valid_option_char(char c) { return is_alnum(c) || c == '_' || c == '.' || c == '%' || c == '-'; }

/// decodeOSOption: url.PathUnescape when the value holds a '%'.
std::optional<std::string> decode_option(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] != '%') {
            out += v[i];
            continue;
        }
        if (i + 2 >= v.size() || !is_hex(v[i + 1]) || !is_hex(v[i + 2])) return std::nullopt;
        out += static_cast<char>(hex_value(v[i + 1]) * 16 + hex_value(v[i + 2]));
        i += 2;
    }
    return out;
}

/// encodeOSOption: %-encodes the characters that would be read as syntax.
std::string encode_option(std::string_view v) {
    std::string out;
    for (char c : v) {
        switch (c) {
        case '%': out += "%25"; break;
        case '+': out += "%2B"; break;
        case '(': out += "%28"; break;
        case ')': out += "%29"; break;
        case '/': out += "%2F"; break;
        default: out += c; break;
        }
    }
    return out;
}

std::string normalize_os(std::string_view os) {
    std::string out = lower(os);
    if (out == "macos") out = "darwin";
    return out;
}

/// database.go isKnownOS: GOOS values.
bool known_os(std::string_view os) {
    static constexpr std::array<std::string_view, 17> kOs = {"aix",   "android", "darwin",  "dragonfly", "freebsd", "hurd",
                                                             "illumos", "ios",   "js",      "linux",     "nacl",    "netbsd",
                                                             "openbsd", "plan9", "solaris", "windows",   "zos"};
    return std::find(kOs.begin(), kOs.end(), os) != kOs.end();
}

/// database.go isKnownArch: GOARCH values.
bool known_arch(std::string_view arch) {
    static constexpr std::array<std::string_view, 24> kArch = {
        "386",    "amd64",  "amd64p32", "arm",         "armbe",   "arm64",   "arm64be", "ppc64",
        "ppc64le", "loong64", "mips",   "mipsle",      "mips64",  "mips64le", "mips64p32", "mips64p32le",
        "ppc",    "riscv",  "riscv64",  "s390",        "s390x",   "sparc",   "sparc64", "wasm"};
    return std::find(kArch.begin(), kArch.end(), arch) != kArch.end();
}

std::pair<std::string, std::string> normalize_arch(std::string_view arch_in, std::string_view variant_in) {
    std::string arch = lower(arch_in);
    std::string variant = lower(variant_in);
    if (arch == "i386") {
        arch = "386";
        variant.clear();
    } else if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") {
        arch = "amd64";
        if (variant == "v1") variant.clear();
    } else if (arch == "aarch64" || arch == "arm64") {
        arch = "arm64";
        if (variant == "8" || variant == "v8" || variant == "v8.0") variant.clear();
        else if (variant == "9" || variant == "9.0" || variant == "v9.0") variant = "v9";
    } else if (arch == "armhf") {
        arch = "arm";
        variant = "v7";
    } else if (arch == "armel") {
        arch = "arm";
        variant = "v6";
    } else if (arch == "arm") {
        if (variant.empty() || variant == "7") variant = "v7";
        else if (variant == "5" || variant == "6" || variant == "8") variant = "v" + variant;
    }
    return {arch, variant};
}

/// Go's path.Join: the non-empty elements joined with '/' and cleaned; "" when all are empty.
std::string join_path(std::initializer_list<std::string_view> elements) {
    std::string joined;
    for (std::string_view e : elements) {
        if (e.empty()) continue;
        if (!joined.empty()) joined += '/';
        joined += e;
    }
    return joined.empty() ? std::string() : util::clean_path(joined);
}

/// `"text"`, made printable and cut to 80 bytes, for an error line.
std::string quoted(std::string_view text) {
    std::string out(1, '"');
    out.append(util::escape_for_display(text.substr(0, 80)));
    if (text.size() > 80) out.append("...");
    out.push_back('"');
    return out;
}

util::Failure bad_specifier(std::string_view specifier, std::string what) {
    return util::fail(ErrorKind::usage, "platform " + quoted(specifier), std::move(what));
}

/// A Windows version "major.minor.build[.revision]"; all zero when it does not parse.
struct WindowsVersion {
    std::uint8_t major = 0, minor = 0;
    std::uint16_t build = 0;
    [[nodiscard]] bool empty() const { return major == 0 && minor == 0 && build == 0; }
};

/// strconv.ParseUint(s, 10, bits): digits only, no sign, in range.
std::optional<std::uint32_t> parse_decimal(std::string_view s, std::uint32_t max) {
    if (s.empty()) return std::nullopt;
    std::uint32_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint32_t>(c - '0');
        if (v > max) return std::nullopt;
    }
    return v;
}

/// getWindowsOSVersion.
WindowsVersion parse_windows_version(std::string_view s) {
    if (std::count(s.begin(), s.end(), '.') < 2) return {};
    const std::size_t d1 = s.find('.');
    const std::size_t d2 = s.find('.', d1 + 1);
    const std::size_t d3 = s.find('.', d2 + 1);
    const auto major = parse_decimal(s.substr(0, d1), 0xFF);
    const auto minor = parse_decimal(s.substr(d1 + 1, d2 - d1 - 1), 0xFF);
    const auto build = parse_decimal(s.substr(d2 + 1, d3 == std::string_view::npos ? std::string_view::npos : d3 - d2 - 1),
                                     0xFFFF);
    if (!major || !minor || !build) return {};
    return {static_cast<std::uint8_t>(*major), static_cast<std::uint8_t>(*minor), static_cast<std::uint16_t>(*build)};
}

constexpr std::uint16_t kLtsc2022 = 20348;
/// Stable-ABI LTSC releases, ascending (compatLTSCReleases).
constexpr std::array<std::uint16_t, 2> kCompatLtscReleases = {20348, 26100};

/// checkWindowsHostAndContainerCompat.
bool windows_compatible(WindowsVersion host, WindowsVersion ctr) {
    if (host.major != ctr.major || host.minor != ctr.minor) return false;
    if (host.build < kLtsc2022) return host.build == ctr.build;
    std::uint16_t supported = kLtsc2022;
    for (auto it = kCompatLtscReleases.rbegin(); it != kCompatLtscReleases.rend(); ++it) {
        if (host.build > *it) {
            supported = *it;
            break;
        }
    }
    return supported <= ctr.build && ctr.build <= host.build;
}

}  // namespace

util::Result<Platform> Platform::parse(std::string_view specifier) {
    if (specifier.find('*') != std::string_view::npos) return bad_specifier(specifier, "wildcards are not supported");

    // strings.SplitN(specifier, "/", 4)
    std::vector<std::string_view> parts;
    std::string_view rest = specifier;
    while (parts.size() < 3) {
        const std::size_t slash = rest.find('/');
        if (slash == std::string_view::npos) break;
        parts.push_back(rest.substr(0, slash));
        rest.remove_prefix(slash + 1);
    }
    parts.push_back(rest);

    // First element: osRe `^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$`
    Platform p;
    const std::string_view first = parts[0];
    std::size_t name_end = 0;
    while (name_end < first.size() && (is_alnum(first[name_end]) || first[name_end] == '_' || first[name_end] == '-'))
        ++name_end;
    const std::string_view os_name = first.substr(0, name_end);
    std::string_view options = first.substr(name_end);
    bool options_ok = !os_name.empty();
    std::string_view version_text;
    std::vector<std::string_view> feature_texts;
    if (options_ok && !options.empty()) {
        options_ok = options.size() >= 2 && options.front() == '(' && options.back() == ')';
        if (options_ok) {
            options = options.substr(1, options.size() - 2);
            options_ok = std::all_of(options.begin(), options.end(), [](char c) { return valid_option_char(c) || c == '+'; });
        }
        if (options_ok) {
            const std::size_t plus = options.find('+');
            version_text = options.substr(0, plus);
            if (plus != std::string_view::npos) {
                std::string_view f = options.substr(plus + 1);
                for (;;) {
                    const std::size_t next = f.find('+');
                    const std::string_view one = f.substr(0, next);
                    if (one.empty()) options_ok = false;  // "(+)" or "(v++x)"
                    feature_texts.push_back(one);
                    if (next == std::string_view::npos) break;
                    f.remove_prefix(next + 1);
                }
            }
        }
    }
    if (!options_ok)
        return bad_specifier(specifier, quoted(first) +
                                            " is not an OS: it must match os[(version[+feature]...)] with os of "
                                            "[A-Za-z0-9_-]");
    p.os = normalize_os(os_name);
    const auto version = decode_option(version_text);
    if (!version) return bad_specifier(specifier, "bad %-escape in the OS version");
    p.os_version = *version;
    for (std::string_view f : feature_texts) {
        const auto feature = decode_option(f);
        if (!feature) return bad_specifier(specifier, "bad %-escape in an OS feature");
        if (!feature->empty()) p.os_features.push_back(*feature);
    }
    for (std::size_t i = 1; i < parts.size(); ++i)
        if (!valid_element(parts[i]))
            return bad_specifier(specifier,
                                 quoted(parts[i]) + " is not a valid element: it must be 1 or more of [A-Za-z0-9_.-]");

    switch (parts.size()) {
    case 1:
        // containerd fills in the host's architecture or OS; tarsier's default platform,
        // linux/amd64, stands for the host.
        if (known_os(p.os)) {
            p.architecture = "amd64";
            return p;
        }
        if (p.os_version.empty() && p.os_features.empty()) {
            std::tie(p.architecture, p.variant) = normalize_arch(parts[0], "");
            if (p.architecture == "arm" && p.variant == "v7") p.variant.clear();
            if (known_arch(p.architecture)) {
                p.os = "linux";
                return p;
            }
        }
        return bad_specifier(specifier, quoted(parts[0]) +
                                            " is neither a known OS nor a known architecture: write "
                                            "os/arch[/variant]");
    case 2:
        std::tie(p.architecture, p.variant) = normalize_arch(parts[1], "");
        if (p.architecture == "arm" && p.variant == "v7") p.variant.clear();
        return p;
    case 3:
        std::tie(p.architecture, p.variant) = normalize_arch(parts[1], parts[2]);
        if (p.architecture == "arm64" && p.variant.empty()) p.variant = "v8";
        return p;
    default:
        return bad_specifier(specifier, "too many elements: expected os/arch[/variant]");
    }
}

std::string Platform::to_string() const {
    if (os.empty()) return "unknown";
    return join_path({os, architecture, variant});
}

std::string Platform::to_string_all() const {
    if (os.empty()) return "unknown";
    if (os_version.empty() && os_features.empty()) return join_path({os, architecture, variant});
    std::vector<std::string> sorted = os_features;
    std::sort(sorted.begin(), sorted.end());
    std::string features;
    const std::string* previous = nullptr;
    for (const std::string& f : sorted) {
        if (f.empty() || (previous && *previous == f)) continue;
        previous = &f;
        if (!features.empty()) features += '+';
        features += encode_option(f);
    }
    std::string head = os;
    const std::string version = encode_option(os_version);
    if (!version.empty() || !features.empty()) {
        head += '(' + version;
        if (!features.empty()) head += '+' + features;
        head += ')';
    }
    return join_path({head, architecture, variant});
}

Platform normalize(Platform p) {
    p.os = normalize_os(p.os);
    std::tie(p.architecture, p.variant) = normalize_arch(p.architecture, p.variant);
    std::sort(p.os_features.begin(), p.os_features.end());
    p.os_features.erase(std::unique(p.os_features.begin(), p.os_features.end()), p.os_features.end());
    return p;
}

bool matches(const Platform& want, const Platform& have) {
    // NewMatcher looks at the OS as given, before normalising, to pick the Windows rules.
    const bool windows = want.os == "windows";
    const Platform w = normalize(want);
    Platform h = have;
    if (windows) {
        // windowsStripFeaturesMatcher: older images were matched without win32k.
        if (auto it = std::find(h.os_features.begin(), h.os_features.end(), "win32k"); it != h.os_features.end())
            h.os_features.erase(it);
    }
    h = normalize(std::move(h));
    if (w.os != h.os || w.architecture != h.architecture || w.variant != h.variant) return false;
    if (windows) {
        const WindowsVersion host = parse_windows_version(want.os_version);
        if (!host.empty() && !have.os_version.empty() && !windows_compatible(host, parse_windows_version(have.os_version)))
            return false;
    }
    if (h.os_features.empty()) return true;
    return std::includes(w.os_features.begin(), w.os_features.end(), h.os_features.begin(), h.os_features.end());
}

}  // namespace tarsier::oci
