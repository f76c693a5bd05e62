#pragma once
/// Reading YAML documents with libyaml-cpp for the policy files: the line of a node, keys
/// checked against the known ones, scalars as numbers and fractions. Internal to policy.

#include <initializer_list>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "util/result.hpp"

namespace tarsier::policy::yaml {

/// "<file>:<line>" of a node (1-based line).
std::string where(const std::string& file, const YAML::Node& node);
/// Parses `text`; a syntax error is a usage error naming the file and the line.
util::Result<YAML::Node> load(std::string_view text, const std::string& file);
/// A usage error in `file` at "line N" of `node`.
util::Error error_at(const std::string& file, const YAML::Node& node, const std::string& what);
/// Fails on the first key of the map `node` that is not in `known`, naming it and its
/// line; fails when `node` is not a map (`what` names it).
util::Result<void> known_keys(const std::string& file, const YAML::Node& node, std::string_view what,
                              std::initializer_list<std::string_view> known);
/// A scalar's text; fails when `node` is not a scalar.
util::Result<std::string> scalar(const std::string& file, const YAML::Node& node, std::string_view key);
/// A number as Go's strconv.ParseFloat reads it (decimal or exponent form), whole text.
std::optional<double> parse_number(std::string_view text);
/// A fraction: a number ("0.1") or a percentage ("10%").
std::optional<double> parse_fraction(std::string_view text);

}  // namespace tarsier::policy::yaml
