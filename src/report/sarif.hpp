#pragma once
/// SARIF 2.1.0 logs (one run, tool "tarsier") as GitHub code scanning accepts them: the
/// one writer behind `audit --format sarif` and `check --format sarif`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tarsier::report::sarif {

/// A property bag entry: text or a count.
using Property = std::pair<std::string, std::variant<std::string, std::uint64_t>>;

/// A reporting descriptor (tool.driver.rules[]).
struct Rule {
    std::string id;
    std::string summary;                          ///< shortDescription and help text
    std::string level;                            ///< defaultConfiguration.level: error, warning, note
    std::string help_uri;                         ///< "" for none
    std::optional<std::string> security_severity; ///< GitHub's "security-severity" ("8.0")
    std::vector<std::string> tags;                ///< properties.tags
    std::vector<Property> properties;
};

/// Where a result is.
struct Location {
    std::string uri;           ///< artifactLocation.uri ("" for a logical location only); see uri_of_path
    std::string name;          ///< logicalLocations[0].name
    std::string qualified;     ///< logicalLocations[0].fullyQualifiedName
    std::string kind;          ///< logicalLocations[0].kind ("resource", "member")
};

/// A result.
struct Result {
    std::string rule_id;
    std::optional<std::size_t> rule_index;  ///< into the rules, when the rule is listed
    std::string level;
    std::string message;
    Location location;
    std::vector<Property> properties;
    std::optional<std::string> suppression;  ///< an accepted external suppression's justification
};

/// The whole log.
struct Log {
    std::string tool_version;
    std::vector<Rule> rules;
    std::vector<Result> results;
    /// invocations[0]: whether the tool ran to its end, and its exit status; nullopt to
    /// leave invocations out.
    std::optional<std::pair<bool, int>> invocation;
};

/// Serialises `log` (pretty, two-space indent, Go's escaping) with a trailing newline.
std::string render(const Log& log);

/// A path as a relative URI reference (RFC 3986): unreserved bytes and "/" as they are,
/// every other byte percent-encoded, "." and ".." segments encoded too (so that no
/// consumer resolves them out of the repository); a leading "/" dropped.
std::string uri_of_path(std::string_view path);

/// GitHub's security-severity of a severity name: critical 9.5, high 8.0, medium 5.5,
/// low 3.0; nullopt for info (not a security problem).
std::optional<std::string> security_severity(std::string_view severity);

}  // namespace tarsier::report::sarif
