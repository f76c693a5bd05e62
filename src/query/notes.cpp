#include "query/notes.hpp"

namespace tarsier::query {

std::vector<image::Finding> notes_of(const image::Archive& archive, std::vector<image::Finding> findings) {
    std::vector<image::Finding> out;
    for (const auto& f : archive.findings)
        if (f.severity == "info") out.push_back(f);
    out.insert(out.end(), std::make_move_iterator(findings.begin()), std::make_move_iterator(findings.end()));
    return out;
}

}  // namespace tarsier::query
