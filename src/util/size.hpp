#pragma once
/// Sizes as users type them on the command line.

#include <cstdint>
#include <string_view>

#include "util/result.hpp"

namespace tarsier::util {

/// Parses a byte count: plain bytes ("1000000", "512B"), a one-letter binary unit as
/// Docker's `-m 512m` reads it ("512k", "64G": powers of 1024, either case), a decimal unit
/// as tarsier and Docker print sizes ("20MB", "29.8kB": powers of 1000) or a binary one
/// ("1.5GiB", "512KiB"). A fraction is allowed before a unit and rounded down to whole
/// bytes. Fails with a usage error naming `option` on anything else or on a value beyond
/// 2^64 - 1.
Result<std::uint64_t> parse_size(std::string_view text, std::string_view option);

}  // namespace tarsier::util
