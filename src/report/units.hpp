#pragma once
/// Sizes, durations and timestamps formatted the way the docker CLI prints them.
///
/// Docker formats these with github.com/docker/go-units (size.go, duration.go) and Go's
/// `time` package; each function here reproduces one of those byte for byte, so a SIZE or
/// CREATED column reads exactly as `docker image ls` / `docker history` would show it.
/// Nothing here reads the clock or the time zone: callers pass "now" and the UTC offset.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tarsier::report {

/// Go's `fmt.Sprintf("%.*g", precision, value)`: `precision` significant digits, trailing
/// zeros dropped, exponent form ("1e+03") when the decimal exponent is below -4 or at least
/// `precision`; infinities print as "+Inf"/"-Inf" and NaN as "NaN". A precision below 1 is
/// taken as 1 (Go does so for 0; go-units never passes a negative one).
[[nodiscard]] std::string go_format_g(double value, int precision);

/// go-units `HumanSizeWithPrecision`: divides by 1000 while the value is at least 1000 (up to
/// YB) and appends the decimal unit without a space: "0B", "999B", "1kB", "29.7MB",
/// "1e+03kB" (999950 bytes at precision 3). Docker's SIZE columns use precision 3.
[[nodiscard]] std::string human_size(double bytes, int precision);

/// go-humanize `Bytes` (dive prints wasted space with it): "5 B", "1.2 kB", "83 MB";
/// decimal units with a space, one decimal below 10, none above.
std::string humanize_bytes(std::uint64_t bytes);

/// go-units `HumanSize`, i.e. `human_size(bytes, 4)` ("1.049MB"); docker uses it for the
/// SHARED SIZE and UNIQUE SIZE fields of `docker image ls`.
[[nodiscard]] std::string human_size(double bytes);

/// go-units `HumanDuration`: "Less than a second", "1 second", "N seconds", "About a
/// minute", "N minutes", "About an hour", "N hours" (hours are rounded, below 48), "N days"
/// (below two weeks), "N weeks" (below 60 days), "N months" (30-day months, below two
/// years), "N years" (365-day years). Negative durations give "Less than a second".
[[nodiscard]] std::string human_duration(std::chrono::nanoseconds d);

/// Go's `time.Duration.String`: "0s", "1.5ms", "30s", "1m30s", "1h0m0s", "-2s" (what
/// `docker image inspect` users read in a Dockerfile's HEALTHCHECK --interval).
[[nodiscard]] std::string go_duration(std::chrono::nanoseconds d);

/// Which docker command's rule decides that a creation time is not shown.
enum class CreatedRule {
    /// `docker history`: times at or before 2000-01-01T00:00:00Z print "N/A".
    history,
    /// `docker image ls`: only Go's zero time (0001-01-01T00:00:00Z, unix -62135596800)
    /// is hidden; the method then returns "" and the table template prints "N/A" instead,
    /// while `--format json` shows "CreatedSince":"".
    image_list,
};

/// The CREATED column: `human_duration(now - created) + " ago"`, with the hiding rule of
/// `rule`. Both times are whole unix seconds (docker itself uses `time.Now()`, so pass a
/// fixed `now` for reproducible output). The difference saturates like Go's `Time.Sub`
/// (at about 292 years).
[[nodiscard]] std::string created_since(std::int64_t created_unix, std::int64_t now_unix,
                                        CreatedRule rule = CreatedRule::history);

/// Go's `time.Unix(unix, 0).In(zone).Format(time.RFC3339)`: "2009-02-04T21:00:57-08:00",
/// "Z" for a zero offset. `docker history --human=false` prints CREATED AT this way in the
/// client's local zone, so pass the offset the CLI should show.
[[nodiscard]] std::string rfc3339(std::int64_t unix_seconds, std::int32_t utc_offset_seconds = 0);

/// Go's `time.RFC3339Nano`: like rfc3339 with a fraction of up to nine digits whose trailing
/// zeros are removed (no dot at all when the fraction is zero). Docker's daemon formats
/// `docker image inspect`'s "Created" this way, keeping the offset the image config had.
/// `nanoseconds` must be below 1e9.
[[nodiscard]] std::string rfc3339_nano(std::int64_t unix_seconds, std::uint32_t nanoseconds,
                                       std::int32_t utc_offset_seconds = 0);

/// Go's `Time.String()` without a monotonic reading: "2006-01-02 15:04:05.999999999 -0700
/// MST", e.g. "2021-03-04 03:24:42 +0100 CET". `docker image ls` uses it for CreatedAt
/// (the `--format json` field and `{{.CreatedAt}}`). An empty `zone_name` prints the offset
/// again ("+0100 +0100"), as Go does for a zone without a name.
[[nodiscard]] std::string go_time_string(std::int64_t unix_seconds, std::uint32_t nanoseconds,
                                         std::int32_t utc_offset_seconds,
                                         std::string_view zone_name);

}  // namespace tarsier::report
