#include "verify/check.hpp"

#include <algorithm>

namespace tarsier::verify {

std::string_view to_string(Verdict v) {
    switch (v) {
        case Verdict::pass: return "pass";
        case Verdict::fail: return "fail";
        case Verdict::warn: return "warn";
        case Verdict::unverifiable: return "unverifiable";
        case Verdict::absent_by_design: return "absent";
    }
    return "fail";
}

std::size_t Report::count(Verdict v) const {
    return static_cast<std::size_t>(std::count_if(checks.begin(), checks.end(), [v](const Check& c) { return c.verdict == v; }));
}

bool Report::ok() const { return count(Verdict::fail) == 0 && (!strict || count(Verdict::warn) == 0); }

}  // namespace tarsier::verify
