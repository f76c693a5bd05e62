#pragma once
/// The image configuration (OCI config.md; Docker image spec): what `inspect` and
/// `history` show, and the diff_ids every layer is checked against.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oci/json.hpp"

namespace tarsier::oci {

/// One history entry (config `history[i]`).
struct HistoryEntry {
    std::string created;     ///< as written (RFC 3339), may be empty
    std::string created_by;
    std::string author;
    std::string comment;
    bool empty_layer = false;
};

/// The execution parameters (config `config`).
struct RunConfig {
    std::string user;
    std::vector<std::string> env;
    std::optional<std::vector<std::string>> entrypoint;
    std::optional<std::vector<std::string>> cmd;
    std::string working_dir;
    std::map<std::string, std::string> labels;
    std::vector<std::string> exposed_ports;
    std::vector<std::string> volumes;
    std::string stop_signal;
};

/// An image configuration.
struct ImageConfig {
    std::string created;
    std::string author;
    std::string architecture;
    std::string os;
    std::string variant;
    std::string os_version;
    std::string docker_version;
    std::string comment;
    RunConfig config;
    bool has_config = false;  ///< whether `config` was present
    std::string rootfs_type;
    std::vector<std::string> diff_ids;
    std::vector<HistoryEntry> history;
};

/// Reads an image configuration. `rootfs.type` other than "layers" is malformed.
util::Result<ImageConfig> parse_config(const JsonValue& root);

/// Parses an RFC 3339 time ("2024-01-02T03:04:05.123456789Z", with an offset or "Z")
/// into Unix seconds and nanoseconds; nullopt when it is not one.
struct Timestamp {
    std::int64_t seconds = 0;
    std::int32_t nanos = 0;
};
std::optional<Timestamp> parse_rfc3339(std::string_view s);

}  // namespace tarsier::oci
