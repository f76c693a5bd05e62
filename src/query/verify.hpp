#pragma once
/// `tarsier verify`: every digest, size and cross-reference of an archive, checked.

#include <optional>
#include <string>

#include "query/read.hpp"
#include "verify/verify.hpp"

namespace tarsier::query {

/// One archive's outcome: a report, or the error that stopped it being read at all.
struct VerifyOutcome {
    std::string archive;
    std::optional<verify::Report> report;
    std::optional<util::Error> error;
};

struct VerifyOptions {
    bool strict = false;                            ///< warnings fail too
    std::uint64_t max_layer_size = 256ull << 30;    ///< a layer that decodes to more fails
    std::uint64_t max_ratio = 2000;                 ///< decoded / raw beyond this fails (0: off)
    ReadOptions read;
};
/// Verifies one archive; an archive that cannot be read at all gives an outcome with its error.
VerifyOutcome verify(const std::string& path, const VerifyOptions& options);

}  // namespace tarsier::query
