#include "report/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <system_error>

namespace tarsier::report {

namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kNanosPerMinute = 60 * kNanosPerSecond;
constexpr std::int64_t kNanosPerHour = 60 * kNanosPerMinute;

/// 2000-01-01T00:00:00Z: docker history shows "N/A" for creation times up to this one.
constexpr std::int64_t kHistoryEpoch = 946'684'800;
/// Go's zero time.Time, 0001-01-01T00:00:00Z, in unix seconds.
constexpr std::int64_t kGoZeroTime = -62'135'596'800;

// Go's Duration.Seconds/Minutes/Hours split the value into a whole part and a remainder
// before converting to float64; doing the same keeps the truncations below identical.
double go_seconds(std::int64_t ns) {
    return static_cast<double>(ns / kNanosPerSecond) +
           static_cast<double>(ns % kNanosPerSecond) / 1e9;
}
double go_minutes(std::int64_t ns) {
    return static_cast<double>(ns / kNanosPerMinute) +
           static_cast<double>(ns % kNanosPerMinute) / (60 * 1e9);
}
double go_hours(std::int64_t ns) {
    return static_cast<double>(ns / kNanosPerHour) +
           static_cast<double>(ns % kNanosPerHour) / (60 * 60 * 1e9);
}

std::string count_of(std::int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit;
}

/// Appends `value` in decimal, zero-padded to `width` digits, with a leading '-' when
/// negative (Go's appendInt in time/format.go).
void append_padded(std::string& out, std::int64_t value, int width) {
    std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value)
                                        : static_cast<std::uint64_t>(value);
    if (value < 0) out += '-';
    std::string digits = std::to_string(magnitude);
    if (static_cast<int>(digits.size()) < width) out.append(width - digits.size(), '0');
    out += digits;
}

struct CivilTime {
    std::int64_t year;
    int month, day, hour, minute, second;
};

/// Splits a count of local seconds since 1970-01-01 into proleptic Gregorian fields.
CivilTime civil_from_seconds(std::int64_t local_seconds) {
    std::int64_t days = local_seconds / 86400;
    std::int64_t rest = local_seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        days -= 1;
    }
    // Shift the epoch to 0000-03-01 so leap days fall at the end of each 400-year era.
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t day_of_era = days - era * 146097;
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
    const int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    const int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    return {year, month, day, static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
            static_cast<int>(rest % 60)};
}

/// "2006-01-02" + `separator` + "15:04:05" for the local wall clock.
std::string date_and_clock(std::int64_t unix_seconds, std::int32_t offset, char separator) {
    // Saturating keeps absurd inputs from overflowing; such dates are out of any real range.
    std::int64_t local = unix_seconds;
    if (offset > 0 && local > std::numeric_limits<std::int64_t>::max() - offset) {
        local = std::numeric_limits<std::int64_t>::max();
    } else if (offset < 0 && local < std::numeric_limits<std::int64_t>::min() - offset) {
        local = std::numeric_limits<std::int64_t>::min();
    } else {
        local += offset;
    }
    const CivilTime t = civil_from_seconds(local);
    std::string out;
    append_padded(out, t.year, 4);
    out += '-';
    append_padded(out, t.month, 2);
    out += '-';
    append_padded(out, t.day, 2);
    out += separator;
    append_padded(out, t.hour, 2);
    out += ':';
    append_padded(out, t.minute, 2);
    out += ':';
    append_padded(out, t.second, 2);
    return out;
}

/// Go's ".999999999" layout element: the fraction without trailing zeros, or nothing.
void append_trimmed_fraction(std::string& out, std::uint32_t nanoseconds) {
    if (nanoseconds == 0) return;
    std::string digits;
    append_padded(digits, nanoseconds % kNanosPerSecond, 9);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += '.';
    out += digits;
}

/// Go's "-0700" (colon == false) or "-07:00" (colon == true); seconds of the offset are
/// dropped, as Go does for these layouts.
void append_offset(std::string& out, std::int32_t offset, bool colon) {
    std::int32_t minutes = offset / 60;
    if (minutes < 0) {
        out += '-';
        minutes = -minutes;
    } else {
        out += '+';
    }
    append_padded(out, minutes / 60, 2);
    if (colon) out += ':';
    append_padded(out, minutes % 60, 2);
}

/// Go's Time.Sub for whole seconds: the difference in nanoseconds, saturated to int64.
std::int64_t saturating_sub_ns(std::int64_t now_unix, std::int64_t created_unix) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    std::int64_t seconds = 0;
    std::int64_t ns = 0;
    if (__builtin_sub_overflow(now_unix, created_unix, &seconds) ||
        __builtin_mul_overflow(seconds, kNanosPerSecond, &ns)) {
        return now_unix < created_unix ? kMin : kMax;
    }
    return ns;
}

}  // namespace

std::string go_format_g(double value, int precision) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (precision < 1) precision = 1;
    // std::to_chars with an explicit precision is printf's %g in the C locale, correctly
    // rounded from the exact binary value (ties to even), which is what Go's strconv does
    // for 'g'; the choice between fixed and exponent form is the same rule in both.
    std::array<char, 400> buf{};
    const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value,
                                      std::chars_format::general, precision);
    if (result.ec != std::errc{}) return "NaN";  // unreachable: the buffer fits any double
    return std::string(buf.data(), result.ptr);
}

std::string human_size(double bytes, int precision) {
    static constexpr std::array<const char*, 9> kUnits = {"B",  "kB", "MB", "GB", "TB",
                                                          "PB", "EB", "ZB", "YB"};
    std::size_t unit = 0;
    while (bytes >= 1000.0 && unit + 1 < kUnits.size()) {
        bytes /= 1000.0;
        ++unit;
    }
    return go_format_g(bytes, precision) + kUnits[unit];
}

std::string human_size(double bytes) {
    return human_size(bytes, 4);
}

std::string human_duration(std::chrono::nanoseconds d) {
    const std::int64_t ns = d.count();
    const auto seconds = static_cast<std::int64_t>(go_seconds(ns));
    if (seconds < 1) return "Less than a second";
    if (seconds == 1) return "1 second";
    if (seconds < 60) return count_of(seconds, "seconds");
    const auto minutes = static_cast<std::int64_t>(go_minutes(ns));
    if (minutes == 1) return "About a minute";
    if (minutes < 60) return count_of(minutes, "minutes");
    const auto hours = static_cast<std::int64_t>(go_hours(ns) + 0.5);
    if (hours == 1) return "About an hour";
    if (hours < 48) return count_of(hours, "hours");
    if (hours < 24 * 7 * 2) return count_of(hours / 24, "days");
    if (hours < 24 * 30 * 2) return count_of(hours / 24 / 7, "weeks");
    if (hours < 24 * 365 * 2) return count_of(hours / 24 / 30, "months");
    // The year count truncates the hours instead of rounding them.
    return count_of(static_cast<std::int64_t>(go_hours(ns)) / 24 / 365, "years");
}

std::string created_since(std::int64_t created_unix, std::int64_t now_unix, CreatedRule rule) {
    switch (rule) {
        case CreatedRule::history:
            if (created_unix <= kHistoryEpoch) return "N/A";
            break;
        case CreatedRule::image_list:
            if (created_unix == kGoZeroTime) return "";
            break;
    }
    return human_duration(std::chrono::nanoseconds(saturating_sub_ns(now_unix, created_unix))) +
           " ago";
}

std::string rfc3339(std::int64_t unix_seconds, std::int32_t utc_offset_seconds) {
    return rfc3339_nano(unix_seconds, 0, utc_offset_seconds);
}

std::string rfc3339_nano(std::int64_t unix_seconds, std::uint32_t nanoseconds,
                         std::int32_t utc_offset_seconds) {
    std::string out = date_and_clock(unix_seconds, utc_offset_seconds, 'T');
    append_trimmed_fraction(out, nanoseconds);
    if (utc_offset_seconds == 0) {
        out += 'Z';
    } else {
        append_offset(out, utc_offset_seconds, true);
    }
    return out;
}

std::string go_time_string(std::int64_t unix_seconds, std::uint32_t nanoseconds,
                           std::int32_t utc_offset_seconds, std::string_view zone_name) {
    std::string out = date_and_clock(unix_seconds, utc_offset_seconds, ' ');
    append_trimmed_fraction(out, nanoseconds);
    out += ' ';
    append_offset(out, utc_offset_seconds, false);
    out += ' ';
    if (zone_name.empty()) {
        append_offset(out, utc_offset_seconds, false);
    } else {
        out += zone_name;
    }
    return out;
}

namespace {

/// `v` / 10^`digits` with the fraction's trailing zeros (and a bare dot) removed.
std::string fixed_point(std::uint64_t v, int digits) {
    std::uint64_t scale = 1;
    for (int i = 0; i < digits; ++i) scale *= 10;
    std::string out = std::to_string(v / scale);
    std::string frac = std::to_string(v % scale);
    if (frac.size() < static_cast<std::size_t>(digits)) frac = std::string(static_cast<std::size_t>(digits) - frac.size(), '0') + frac;
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (!frac.empty()) out += "." + frac;
    return out;
}

}  // namespace

std::string go_duration(std::chrono::nanoseconds d) {
    std::int64_t ns = d.count();
    if (ns == 0) return "0s";
    std::uint64_t u = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    std::string out;
    if (u < 1000) {
        out = std::to_string(u) + "ns";
    } else if (u < 1000000) {
        out = fixed_point(u, 3) + "\u00b5s";
    } else if (u < 1000000000) {
        out = fixed_point(u, 6) + "ms";
    } else {
        out = fixed_point(u % 60000000000ULL, 9) + "s";
        std::uint64_t minutes = u / 60000000000ULL;
        if (minutes > 0) {
            out = std::to_string(minutes % 60) + "m" + out;
            if (minutes >= 60) out = std::to_string(minutes / 60) + "h" + out;
        }
    }
    return ns < 0 ? "-" + out : out;
}

std::string humanize_bytes(std::uint64_t bytes) {
    if (bytes < 10) return std::to_string(bytes) + " B";
    static constexpr const char* kSizes[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    const double e = std::floor(std::log(static_cast<double>(bytes)) / std::log(1000.0));
    const double val = std::floor(static_cast<double>(bytes) / std::pow(1000.0, e) * 10 + 0.5) / 10;
    char buf[64];
    std::snprintf(buf, sizeof buf, val < 10 ? "%.1f %s" : "%.0f %s", val, kSizes[static_cast<int>(e)]);
    return buf;
}

}  // namespace tarsier::report
