// Standard input for the commands that read layers twice (export, extract, cat).
#include <cstdlib>

#include "cli/commands.hpp"
#include "io/spool.hpp"

namespace tarsier::cli {

std::optional<int> spool_if_stdin(const std::string& archive) {
    if (archive != "-") return std::nullopt;
    const char* tmp = std::getenv("TMPDIR");
    auto r = io::spool_stdin(tmp && *tmp ? tmp : "/tmp");
    if (!r) return fail_with(r.error());
    return std::nullopt;
}

}  // namespace tarsier::cli
