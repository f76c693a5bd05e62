#include "image/select.hpp"

#include <charconv>

#include <fmt/format.h>

#include "digest/digest.hpp"
#include "image/references.hpp"

namespace tarsier::image {

using util::ErrorKind;
using util::fail;
using util::Result;

namespace {

bool names_image(const Image& img, std::string_view sel) {
    auto at = sel.find('@');
    if (at != std::string_view::npos) {
        std::string_view digest = sel.substr(at + 1);
        std::string repo = familiar_repository(sel.substr(0, at));
        if (img.manifest_digest == digest || img.index_digest == digest) {
            if (repo.empty()) return true;
            for (const auto& r : img.references)
                if (r.repository == repo) return true;
        }
        for (const auto& rd : img.repo_digests)
            if (rd == repo + "@" + std::string(digest)) return true;
        return false;
    }
    RepoTag want = split_reference(sel);
    if (want.tag.empty()) want.tag = "latest";
    for (const auto& r : img.references)
        if (r.repository == want.repository && r.tag == want.tag) return true;
    return false;
}

}  // namespace

std::string describe_choices(const Archive& archive) {
    std::string out;
    for (std::size_t i = 0; i < archive.images.size(); ++i) {
        const Image& img = archive.images[i];
        std::string refs;
        for (const auto& r : img.references) refs += (refs.empty() ? "" : ", ") + r.str();
        if (refs.empty()) refs = "<none>";
        out += fmt::format("  @{}  {}  {}  {}\n", i, digest::short_id(img.id), img.platform(), refs);
    }
    return out;
}

Result<const Image*> select_image(const Archive& archive, std::string_view sel) {
    const auto& images = archive.images;
    if (images.empty()) return fail(ErrorKind::not_image, "", "the archive holds no runnable image");
    if (sel.empty()) {
        if (images.size() == 1) return &images.front();
        return fail(ErrorKind::usage, "",
                    fmt::format("the archive holds {} images; name one (a reference, an ID prefix or @N):\n{}",
                                images.size(), describe_choices(archive)));
    }
    if (sel.starts_with("@") && sel.size() > 1 && sel[1] >= '0' && sel[1] <= '9') {
        std::size_t n = 0;
        auto num = sel.substr(1);
        auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
        if (ec != std::errc() || p != num.data() + num.size() || num.empty())
            return fail(ErrorKind::usage, "", fmt::format("'{}' is not a position (@0, @1, ...)", sel));
        if (n >= images.size())
            return fail(ErrorKind::usage, "",
                        fmt::format("no image at position @{}; the archive holds {}:\n{}", n, images.size(),
                                    describe_choices(archive)));
        return &images[n];
    }
    std::vector<const Image*> matches;
    for (const auto& img : images)
        if (names_image(img, sel)) matches.push_back(&img);
    if (matches.empty()) {
        for (const auto& img : images)
            if (digest::matches_prefix(sel, img.id)) matches.push_back(&img);
    }
    // Several references to one image are one match.
    if (matches.size() > 1) {
        bool same = true;
        for (const auto* m : matches) same = same && m->id == matches.front()->id && m->manifest_digest == matches.front()->manifest_digest;
        if (same) matches.erase(matches.begin() + 1, matches.end());
    }
    if (matches.size() == 1) return matches.front();
    if (matches.empty()) {
        // An index.json entry left out by --platform: say so rather than "no image matches".
        for (const auto& absent : archive.platform_absent) {
            Image named;
            named.references = absent.references;
            named.manifest_digest = absent.digest;
            if (names_image(named, sel)) return fail(ErrorKind::usage, absent.where, absent.message);
        }
    }
    if (matches.empty())
        return fail(ErrorKind::usage, "",
                    fmt::format("no image matches '{}'; the archive holds:\n{}", sel, describe_choices(archive)));
    return fail(ErrorKind::usage, "",
                fmt::format("'{}' matches {} images; be more specific:\n{}", sel, matches.size(), describe_choices(archive)));
}

}  // namespace tarsier::image
