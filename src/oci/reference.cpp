#include "oci/reference.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <utility>

#include "util/strings.hpp"

// Facts from github.com/distribution/reference@0965666 (regexp.go, reference.go,
// normalize.go, helpers.go), github.com/opencontainers/go-digest (digest.go, algorithm.go,
// sha.go) and Go's src/path/match.go. The grammar is checked by hand, one pass per part,
// so the cost stays linear in the input whatever its length.

namespace tarsier::oci {
namespace {

using util::ErrorKind;

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";
constexpr std::string_view kDefaultTag = "latest";
constexpr std::string_view kLocalhost = "localhost";
constexpr std::size_t kRepositoryNameMax = 255;
constexpr std::size_t kTagMax = 128;
constexpr std::size_t kShownInputMax = 80;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return is_lower(c) || is_upper(c); }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
bool is_word(char c) { return is_alnum(c) || c == '_'; }

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool has_upper(std::string_view s) {
    for (char c : s)
        if (is_upper(c)) return true;
    return false;
}

/// `"text"` made safe and short for an error line.
std::string shown(std::string_view text) {
    std::string out = "\"";
    if (text.size() > kShownInputMax) {
        out += util::escape_for_display(text.substr(0, kShownInputMax));
        out += "...\" (" + std::to_string(text.size()) + " bytes)";
    } else {
        out += util::escape_for_display(text);
        out += "\"";
    }
    return out;
}

/// path-component := [a-z0-9]+ (separator [a-z0-9]+)*; separator := "." | "_" | "__" | "-"+
bool valid_path_component(std::string_view s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    for (;;) {
        if (i == n || !(is_lower(s[i]) || is_digit(s[i]))) return false;
        while (i < n && (is_lower(s[i]) || is_digit(s[i]))) ++i;
        if (i == n) return true;
        const std::size_t sep = i;
        if (s[i] == '-') {
            while (i < n && s[i] == '-') ++i;
        } else if (s[i] == '.') {
            ++i;
        } else if (s[i] == '_') {
            ++i;
            if (i < n && s[i] == '_') ++i;
        } else {
            return false;
        }
        if (i == sep) return false;
    }
}

/// path := path-component ("/" path-component)*
bool valid_path(std::string_view s) {
    for (;;) {
        const std::size_t slash = s.find('/');
        if (!valid_path_component(s.substr(0, slash))) return false;
        if (slash == std::string_view::npos) return true;
        s.remove_prefix(slash + 1);
    }
}

/// domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool valid_domain_component(std::string_view s) {
    if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
    for (char c : s)
        if (!is_alnum(c) && c != '-') return false;
    return true;
}

/// domain := (domain-name | "[" [a-fA-F0-9:]+ "]") (":" [0-9]+)?
bool valid_domain(std::string_view s) {
    std::string_view host = s;
    std::string_view port;
    bool has_port = false;
    if (!s.empty() && s.front() == '[') {
        const std::size_t close = s.find(']');
        if (close == std::string_view::npos || close == 1) return false;
        for (char c : s.substr(1, close - 1))
            if (!is_hex(c) && c != ':') return false;
        const std::string_view after = s.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return false;
            has_port = true;
            port = after.substr(1);
        }
    } else {
        const std::size_t colon = s.find(':');
        if (colon != std::string_view::npos) {
            host = s.substr(0, colon);
            port = s.substr(colon + 1);
            has_port = true;
        }
        for (;;) {
            const std::size_t dot = host.find('.');
            if (!valid_domain_component(host.substr(0, dot))) return false;
            if (dot == std::string_view::npos) break;
            host.remove_prefix(dot + 1);
        }
    }
    if (has_port) {
        if (port.empty()) return false;
        for (char c : port)
            if (!is_digit(c)) return false;
    }
    return true;
}

/// tag := [\w][\w.-]{0,127}
bool valid_tag(std::string_view s) {
    if (s.empty() || s.size() > kTagMax || !is_word(s.front())) return false;
    for (char c : s)
        if (!is_word(c) && c != '.' && c != '-') return false;
    return true;
}

/// The reference grammar's digest: [A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)* ":" [[:xdigit:]]{32,}
bool valid_reference_digest(std::string_view s) {
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string_view alg = s.substr(0, colon);
    const std::string_view hex = s.substr(colon + 1);
    bool at_component_start = true;
    for (char c : alg) {
        if (at_component_start) {
            if (!is_alpha(c)) return false;
            at_component_start = false;
        } else if (c == '-' || c == '_' || c == '+' || c == '.') {
            at_component_start = true;
        } else if (!is_alnum(c)) {
            return false;
        }
    }
    if (at_component_start || hex.size() < 32) return false;
    for (char c : hex)
        if (!is_hex(c)) return false;
    return true;
}

/// go-digest Digest.Validate for a string that already passed valid_reference_digest:
/// the algorithms Docker links (sha256, sha384, sha512) need their exact lowercase-hex
/// length; others are "unsupported" when they fit the OCI grammar.
std::optional<std::string> digest_problem(std::string_view s) {
    const std::size_t colon = s.find(':');
    const std::string_view alg = s.substr(0, colon);
    const std::string_view hex = s.substr(colon + 1);
    std::size_t want = 0;
    if (alg == "sha256") want = 64;
    else if (alg == "sha384") want = 96;
    else if (alg == "sha512") want = 128;
    if (want == 0) {
        // OCI grammar: [a-z0-9]+([.+_-][a-z0-9]+)* ":" [a-zA-Z0-9=_-]+; the hex part always fits.
        bool ok = true, at_start = true;
        for (char c : alg) {
            if (is_lower(c) || is_digit(c)) at_start = false;
            else if (!at_start && (c == '.' || c == '+' || c == '_' || c == '-')) at_start = true;
            else ok = false;
        }
        if (!ok || at_start) return "invalid checksum digest format";
        return "unsupported digest algorithm \"" + std::string(alg) + "\"";
    }
    if (hex.size() != want)
        return "invalid checksum digest length: " + std::string(alg) + " needs " +
               std::to_string(want) + " hex digits, got " + std::to_string(hex.size());
    for (char c : hex)
        if (!is_lower_hex(c)) return "invalid checksum digest format: hex digits must be lowercase";
    return std::nullopt;
}

/// The pieces of a reference string, as views into it.
struct Pieces {
    std::string_view domain, path, tag, digest;
};

/// Splits `s` like reference.Parse's anchored regular expression and then the name
/// expression, which prefers taking the first element as the domain. Returns why not.
std::optional<std::string> split_reference(std::string_view s, Pieces& out) {
    std::string_view rest = s;
    if (const std::size_t at = rest.find('@'); at != std::string_view::npos) {
        out.digest = rest.substr(at + 1);
        rest = rest.substr(0, at);
        if (!valid_reference_digest(out.digest))
            return std::string("digest must be algorithm:hex with at least 32 hex digits");
    }
    // The name holds a ':' only in its domain, which ends at the first '/', so a ':'
    // after the last '/' starts the tag.
    const std::size_t colon = rest.rfind(':');
    const std::size_t slash = rest.rfind('/');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        out.tag = rest.substr(colon + 1);
        rest = rest.substr(0, colon);
        if (!valid_tag(out.tag))
            return std::string("tag must be 1 to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'");
    }
    if (rest.empty()) return std::string("repository name is empty");
    if (const std::size_t first = rest.find('/'); first != std::string_view::npos) {
        const std::string_view head = rest.substr(0, first);
        const std::string_view tail = rest.substr(first + 1);
        if (!valid_path(tail))
            return std::string("repository path components must be [a-z0-9] runs joined by '.', '_', '__' or '-'");
        if (valid_domain(head)) {
            out.domain = head;
            out.path = tail;
            return std::nullopt;
        }
    }
    if (!valid_path(rest))
        return std::string("repository path components must be [a-z0-9] runs joined by '.', '_', '__' or '-'");
    out.domain = {};
    out.path = rest;
    return std::nullopt;
}

/// The four parts of a parsed reference, owned.
struct Parts {
    std::string domain, path, tag, digest;
};

/// reference.Parse on a string whose domain normalize.go has already settled; `input` is
/// what the user wrote, for the error line.
util::Result<Parts> parse_plain(std::string_view input, std::string_view s) {
    const std::string where = "reference " + shown(input);
    Pieces p;
    if (auto why = split_reference(s, p)) {
        Pieces lowered;
        const std::string lower = ascii_lower(s);
        if (lower != s && !split_reference(lower, lowered))
            return util::fail(ErrorKind::usage, where, "invalid reference format: repository name must be lowercase");
        return util::fail(ErrorKind::usage, where, "invalid reference format: " + *why);
    }
    if (p.path.size() > kRepositoryNameMax)
        return util::fail(ErrorKind::usage, where, "repository name must not be more than 255 characters");
    if (!p.digest.empty())
        if (auto why = digest_problem(p.digest)) return util::fail(ErrorKind::usage, where, *why);
    return Parts{std::string(p.domain), std::string(p.path), std::string(p.tag), std::string(p.digest)};
}

bool is_image_id(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!is_lower_hex(c)) return false;
    return true;
}

// ---- Go path.Match -------------------------------------------------------------------

constexpr char32_t kRuneError = 0xFFFD;

/// utf8.DecodeRuneInString: (rune, bytes used); (RuneError, 1) for an invalid sequence,
/// (RuneError, 0) for empty input.
std::pair<char32_t, std::size_t> decode_rune(std::string_view s) {
    if (s.empty()) return {kRuneError, 0};
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b0 = b(0);
    if (b0 < 0x80) return {b0, 1};
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
    else if (b0 == 0xE0) { n = 3; lo = 0xA0; }
    else if (b0 >= 0xE1 && b0 <= 0xEF) { n = 3; if (b0 == 0xED) hi = 0x9F; }
    else if (b0 == 0xF0) { n = 4; lo = 0x90; }
    else if (b0 >= 0xF1 && b0 <= 0xF3) n = 4;
    else if (b0 == 0xF4) { n = 4; hi = 0x8F; }
    else return {kRuneError, 1};
    if (s.size() < n || b(1) < lo || b(1) > hi) return {kRuneError, 1};
    for (std::size_t i = 2; i < n; ++i)
        if (b(i) < 0x80 || b(i) > 0xBF) return {kRuneError, 1};
    char32_t r = b0 & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (std::size_t i = 1; i < n; ++i) r = (r << 6) | (b(i) & 0x3F);
    return {r, n};
}

/// scanChunk: an optional run of stars, then the text up to the next star outside a class.
struct Chunk {
    bool star = false;
    std::string_view text;
};
Chunk scan_chunk(std::string_view& pattern) {
    Chunk c;
    while (!pattern.empty() && pattern.front() == '*') {
        pattern.remove_prefix(1);
        c.star = true;
    }
    bool in_range = false;
    std::size_t i = 0;
    for (; i < pattern.size(); ++i) {
        const char ch = pattern[i];
        if (ch == '\\') {
            if (i + 1 < pattern.size()) ++i;
        } else if (ch == '[') {
            in_range = true;
        } else if (ch == ']') {
            in_range = false;
        } else if (ch == '*' && !in_range) {
            break;
        }
    }
    c.text = pattern.substr(0, i);
    pattern.remove_prefix(i);
    return c;
}

/// getEsc: one possibly escaped class character; nullopt when malformed.
std::optional<char32_t> get_esc(std::string_view& chunk) {
    if (chunk.empty() || chunk.front() == '-' || chunk.front() == ']') return std::nullopt;
    if (chunk.front() == '\\') {
        chunk.remove_prefix(1);
        if (chunk.empty()) return std::nullopt;
    }
    const auto [r, n] = decode_rune(chunk);
    chunk.remove_prefix(n);
    if ((r == kRuneError && n == 1) || chunk.empty()) return std::nullopt;
    return r;
}

enum class ChunkMatch { matched, failed, bad_pattern };

/// matchChunk: whether `chunk` matches the start of `s`, leaving the rest in `rest`. With
/// `validate`, carries on through the chunk after a mismatch to find syntax errors, as Go
/// does; without it, stops at the first mismatch (for a pattern already validated).
ChunkMatch match_chunk(std::string_view chunk, std::string_view s, std::string_view& rest, bool validate) {
    bool failed = false;
    while (!chunk.empty()) {
        if (!failed && s.empty()) failed = true;
        if (failed && !validate) return ChunkMatch::failed;
        switch (chunk.front()) {
        case '[': {
            char32_t r = 0;
            if (!failed) {
                const auto [rune, n] = decode_rune(s);
                r = rune;
                s.remove_prefix(n);
            }
            chunk.remove_prefix(1);
            bool negated = false;
            if (!chunk.empty() && chunk.front() == '^') {
                negated = true;
                chunk.remove_prefix(1);
            }
            bool match = false;
            std::size_t ranges = 0;
            for (;;) {
                if (!chunk.empty() && chunk.front() == ']' && ranges > 0) {
                    chunk.remove_prefix(1);
                    break;
                }
                const auto lo = get_esc(chunk);
                if (!lo) return ChunkMatch::bad_pattern;
                char32_t hi = *lo;
                if (chunk.front() == '-') {
                    chunk.remove_prefix(1);
                    const auto h = get_esc(chunk);
                    if (!h) return ChunkMatch::bad_pattern;
                    hi = *h;
                }
                if (*lo <= r && r <= hi) match = true;
                ++ranges;
            }
            if (match == negated) failed = true;
            break;
        }
        case '?':
            if (!failed) {
                if (s.front() == '/') failed = true;
                s.remove_prefix(decode_rune(s).second);
            }
            chunk.remove_prefix(1);
            break;
        case '\\':
            chunk.remove_prefix(1);
            if (chunk.empty()) return ChunkMatch::bad_pattern;
            [[fallthrough]];
        default:
            if (!failed) {
                if (chunk.front() != s.front()) failed = true;
                s.remove_prefix(1);
            }
            chunk.remove_prefix(1);
            break;
        }
    }
    if (failed) return ChunkMatch::failed;
    rest = s;
    return ChunkMatch::matched;
}

/// Go reports ErrBadPattern exactly when some chunk of the pattern is malformed (every
/// chunk is either matched in full or checked before Match returns false), so checking
/// all chunks once up front gives the same errors and lets matching stop early.
bool pattern_is_valid(std::string_view pattern) {
    while (!pattern.empty()) {
        const Chunk c = scan_chunk(pattern);
        std::string_view rest;
        if (match_chunk(c.text, {}, rest, true) == ChunkMatch::bad_pattern) return false;
    }
    return true;
}

/// Match for a valid pattern: Go's algorithm, where a star commits to the first place its
/// chunk matches (the last chunk must also end the name).
bool match_valid(std::string_view pattern, std::string_view name) {
    while (!pattern.empty()) {
        const Chunk c = scan_chunk(pattern);
        if (c.star && c.text.empty()) return name.find('/') == std::string_view::npos;
        std::string_view t;
        if (match_chunk(c.text, name, t, false) == ChunkMatch::matched && (t.empty() || !pattern.empty())) {
            name = t;
            continue;
        }
        bool advanced = false;
        if (c.star) {
            for (std::size_t i = 0; i < name.size() && name[i] != '/'; ++i) {
                if (match_chunk(c.text, name.substr(i + 1), t, false) != ChunkMatch::matched) continue;
                if (pattern.empty() && !t.empty()) continue;
                name = t;
                advanced = true;
                break;
            }
        }
        if (!advanced) return false;
    }
    return name.empty();
}

util::Failure bad_pattern(std::string_view pattern) {
    return util::fail(ErrorKind::usage, "pattern " + shown(pattern), "syntax error in pattern");
}

}  // namespace

util::Result<Reference> Reference::parse(std::string_view text) {
    if (text.empty()) return util::fail(ErrorKind::usage, "reference \"\"", "invalid reference format: empty reference");
    if (is_image_id(text))
        return util::fail(ErrorKind::usage, "reference " + shown(text),
                          "invalid repository name: cannot specify 64-byte hexadecimal strings");

    // splitDockerDomain (normalize.go).
    std::string domain;
    std::string remainder;
    if (const std::size_t slash = text.find('/'); slash == std::string_view::npos) {
        domain = kDefaultDomain;
        remainder = std::string(kOfficialRepoPrefix) + std::string(text);
    } else {
        const std::string_view head = text.substr(0, slash);
        const std::string_view tail = text.substr(slash + 1);
        if (head == kLocalhost) {
            domain = head;
            remainder = tail;
        } else if (head == kLegacyDefaultDomain) {
            domain = kDefaultDomain;
            remainder = tail;
        } else if (head.find_first_of(".:") != std::string_view::npos || has_upper(head)) {
            domain = head;
            remainder = tail;
        } else {
            domain = kDefaultDomain;
            remainder = text;
        }
        if (domain == kDefaultDomain && remainder.find('/') == std::string::npos)
            remainder = std::string(kOfficialRepoPrefix) + remainder;
    }
    const std::string_view remote = std::string_view(remainder).substr(0, remainder.find(':'));
    if (has_upper(remote))
        return util::fail(ErrorKind::usage, "reference " + shown(text),
                          "invalid reference format: repository name (" + util::escape_for_display(remote.substr(0, kShownInputMax)) +
                              ") must be lowercase");

    auto parts = parse_plain(text, domain + "/" + remainder);
    if (!parts) return parts.failure();
    Reference ref;
    ref.m_domain = std::move(parts->domain);
    ref.m_path = std::move(parts->path);
    ref.m_tag = std::move(parts->tag);
    ref.m_digest = std::move(parts->digest);
    if (ref.m_tag.empty() && ref.m_digest.empty()) ref.m_tag = kDefaultTag;
    return ref;
}

std::string Reference::repository() const {
    return m_domain.empty() ? m_path : m_domain + "/" + m_path;
}

std::string Reference::familiar_name() const {
    if (m_domain != kDefaultDomain) return repository();
    const std::string_view path = m_path;
    if (path.starts_with(kOfficialRepoPrefix)) {
        const std::string_view rest = path.substr(kOfficialRepoPrefix.size());
        if (rest.find('/') == std::string_view::npos) return std::string(rest);
    }
    return m_path;
}

std::string Reference::familiar_string() const {
    std::string out = familiar_name();
    if (!m_tag.empty()) out += ":" + m_tag;
    if (!m_digest.empty()) out += "@" + m_digest;
    return out;
}

std::string Reference::to_string() const {
    std::string out = repository();
    if (!m_tag.empty()) out += ":" + m_tag;
    if (!m_digest.empty()) out += "@" + m_digest;
    return out;
}

util::Result<bool> path_match(std::string_view pattern, std::string_view name) {
    if (!pattern_is_valid(pattern)) return bad_pattern(pattern);
    return match_valid(pattern, name);
}

util::Result<bool> reference_filter_match(std::string_view pattern, const Reference& ref) {
    if (!pattern_is_valid(pattern)) return bad_pattern(pattern);
    const std::array<std::string, 4> targets = {ref.familiar_string(), ref.familiar_name(), ref.to_string(),
                                                ref.repository()};
    for (const std::string& target : targets)
        if (match_valid(pattern, target)) return true;
    return false;
}

}  // namespace tarsier::oci
