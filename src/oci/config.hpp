#pragma once
/// The image configuration (OCI config.md; Docker image spec): what `inspect` and
/// `history` show, and the diff_ids every layer is checked against.

#include <cstdint>
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

/// A health check (Docker's `Healthcheck`); durations in nanoseconds, 0 when absent.
struct Healthcheck {
    std::optional<std::vector<std::string>> test;  ///< ["NONE"], ["CMD", ...], ["CMD-SHELL", cmd]
    std::int64_t interval = 0;
    std::int64_t timeout = 0;
    std::int64_t start_period = 0;
    std::int64_t start_interval = 0;
    std::int64_t retries = 0;

    bool operator==(const Healthcheck&) const = default;
};

/// The execution parameters (config `config`, and Docker's `container_config`): the OCI
/// fields and Docker's container.Config. Absent booleans are false, as Go reads them.
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
    bool args_escaped = false;
    std::optional<Healthcheck> healthcheck;
    std::optional<std::vector<std::string>> shell;
    std::vector<std::string> on_build;
    std::optional<std::int64_t> stop_timeout;  ///< seconds
    std::string hostname;
    std::string domainname;
    std::string image;        ///< Docker: the image the build step ran in
    std::string mac_address;
    bool attach_stdin = false;
    bool attach_stdout = false;
    bool attach_stderr = false;
    bool tty = false;
    bool open_stdin = false;
    bool stdin_once = false;
    bool network_disabled = false;
};

/// An image configuration.
struct ImageConfig {
    std::string created;
    std::string author;
    std::string architecture;
    std::string os;
    std::string variant;
    std::string os_version;
    std::vector<std::string> os_features;
    std::string docker_version;  ///< Docker: the daemon's version
    std::string container;       ///< Docker: the ID of the build container
    std::string parent;          ///< Docker: the parent image's ID
    std::string comment;
    RunConfig config;
    bool has_config = false;  ///< whether `config` was present
    RunConfig container_config;          ///< Docker: the build container's configuration
    bool has_container_config = false;  ///< whether `container_config` was present
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
