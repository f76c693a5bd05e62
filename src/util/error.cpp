#include "util/error.hpp"

namespace tarsier::util {

std::string Error::to_string() const {
    std::string out;
    for (const std::string* part : {&file, &where, &what}) {
        if (part->empty()) continue;
        if (!out.empty()) out += ": ";
        out += *part;
    }
    return out;
}

Error Error::in_file(const std::string& f) const {
    Error e = *this;
    if (e.file.empty()) e.file = f;
    return e;
}

Error Error::at(const std::string& prefix) const {
    Error e = *this;
    e.where = e.where.empty() ? prefix : prefix + ": " + e.where;
    return e;
}

}  // namespace tarsier::util
