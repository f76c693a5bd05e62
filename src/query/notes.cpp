#include "query/notes.hpp"

namespace tarsier::query {

namespace {

/// The archive's findings that change what an answer means, so that every command says
/// them: how the archive was read, and what its index holds besides images. The details
/// behind them (each artifact, each absent blob) are verify's to list.
bool is_note(const image::Finding& f) { return f.code == "bare-layer" || f.code == "not-images"; }

}  // namespace

std::vector<image::Finding> notes_of(const image::Archive& archive, std::vector<image::Finding> findings) {
    std::vector<image::Finding> out;
    for (const auto& f : archive.findings)
        if (is_note(f)) out.push_back(f);
    out.insert(out.end(), std::make_move_iterator(findings.begin()), std::make_move_iterator(findings.end()));
    return out;
}

}  // namespace tarsier::query
