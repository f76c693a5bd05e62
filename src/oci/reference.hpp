#pragma once
/// Docker image references (`nginx`, `user/app:1.2`, `localhost:5000/x@sha256:...`) parsed
/// and normalised the way the Docker CLI and daemon do it (github.com/distribution/reference),
/// and the `docker image ls --filter reference=PATTERN` match built on Go's path.Match.

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace tarsier::oci {

/// A normalised image reference: `domain/path[:tag][@digest]`.
///
/// Grammar (distribution/reference reference.go):
///   reference := name [":" tag] ["@" digest];  name := [domain "/"] path
///   domain    := host [":" port];  host := domain-name | "[" IPv6 "]"
///   path      := component ("/" component)*, each `[a-z0-9]+` joined by ".", "_", "__" or "-"+
///   tag       := `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
///   digest    := algorithm ":" hex, checked like go-digest (sha256/sha384/sha512, lowercase hex)
/// A Reference always has a tag or a digest or both: `latest` is added only when neither
/// was given. Values are plain copies; a Reference owns its strings. A default-constructed
/// Reference is empty and only good for assigning to.
class Reference {
public:
    /// Parses `text` like Docker's ParseNormalizedNamed followed by TagNameOnly:
    /// `nginx` -> `docker.io/library/nginx:latest`, `user/x` -> `docker.io/user/x:latest`,
    /// `index.docker.io/x` -> `docker.io/library/x:latest`, `localhost:5000/x` keeps its
    /// domain. The first path element is a domain when it contains `.` or `:`, is
    /// `localhost`, or has an upper-case letter. A tag and a digest given together are both
    /// kept. Fails with ErrorKind::usage and a message that names the broken part (empty
    /// input, a 64-hex image ID, upper case in the repository, bad domain/path/tag/digest,
    /// path over 255 characters, unsupported digest algorithm). Runs in linear time.
    static util::Result<Reference> parse(std::string_view text);

    /// The registry host and optional port, e.g. "docker.io", "localhost:5000", "[::1]:5000".
    /// Empty only for the odd names Docker itself leaves without one (`a_b.c/x`, whose
    /// first element looks like a host but is not a valid one).
    [[nodiscard]] const std::string& domain() const { return m_domain; }
    /// The repository path inside the registry, e.g. "library/nginx".
    [[nodiscard]] const std::string& path() const { return m_path; }
    /// The tag, e.g. "latest"; empty when the reference was given with a digest only.
    [[nodiscard]] const std::string& tag() const { return m_tag; }
    /// The digest "algorithm:hex" as written; empty when none was given.
    [[nodiscard]] const std::string& digest() const { return m_digest; }

    /// The full repository name `domain/path` (Go: Named.Name()),
    /// e.g. "docker.io/library/nginx".
    [[nodiscard]] std::string repository() const;
    /// The repository as Docker shows it: "docker.io/" dropped, and "library/" dropped
    /// when one path element follows it (Go: FamiliarName). "nginx", "user/x",
    /// "library/a/b", "localhost:5000/x".
    [[nodiscard]] std::string familiar_name() const;
    /// familiar_name() plus ":tag" and "@digest" when present (Go: FamiliarString),
    /// e.g. "nginx:latest" — the form of `docker image ls` and of RepoTags.
    [[nodiscard]] std::string familiar_string() const;
    /// The canonical form `repository()[:tag][@digest]` (Go: String()),
    /// e.g. "docker.io/library/nginx:latest".
    [[nodiscard]] std::string to_string() const;

    bool operator==(const Reference&) const = default;

private:
    std::string m_domain, m_path, m_tag, m_digest;
};

/// Go's path.Match(pattern, name), byte for byte: `*` matches any run of non-`/` bytes,
/// `?` one non-`/` character (a UTF-8 sequence, or one invalid byte), `[...]` a character
/// class of characters and `lo-hi` ranges, `[^...]` its negation, `\c` a literal c (also
/// inside classes). The whole name must match. A malformed pattern (unclosed or empty
/// class, `-` or `]` where a class character is due, trailing `\`, invalid UTF-8 inside a
/// class) fails with ErrorKind::usage "syntax error in pattern" whatever the name, as Go
/// does (it checks the rest of the pattern before returning false). Worst case
/// O(|pattern| * |name|): a star commits to the first place its chunk fits, as in Go, so
/// there is no exponential backtracking.
util::Result<bool> path_match(std::string_view pattern, std::string_view name);

/// What `docker image ls --filter reference=PATTERN` does for one image reference in
/// Docker Engine 29.5 and later (moby daemon/images/image_list.go and
/// daemon/containerd/image_list.go, commit daf25751d5ec): true when path_match(pattern, t)
/// holds for any t of ref.familiar_string(), ref.familiar_name(), ref.to_string() and
/// ref.repository(). Engines up to 29.4 used reference.FamiliarMatch, which tries only
/// the first two, so canonical patterns such as "docker.io/library/*" matched nothing
/// there. A malformed pattern fails with ErrorKind::usage.
util::Result<bool> reference_filter_match(std::string_view pattern, const Reference& ref);

}  // namespace tarsier::oci
