/// libFuzzer target: the text package databases — dpkg status files, apk's installed
/// database, os-release — and the dpkg and apk version orders. The whole input is read
/// as each database; split at its first NUL byte, its halves are compared as versions.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/inventory.hpp"

using namespace tarsier;

namespace {

/// Owned paths are normalised like index entries: relative, no "." or ".." element.
void check_paths(const std::vector<pkg::Package>& packages) {
    for (const auto& p : packages) {
        if (p.name.empty()) __builtin_trap();
        for (const auto& f : p.files) {
            const std::string_view path = f.path;
            if (path.empty() || path.front() == '/' || path.back() == '/') __builtin_trap();
            if (path == "." || path == ".." || path.substr(0, 3) == "../" || path.find("/../") != std::string_view::npos ||
                path.find("/./") != std::string_view::npos || path.find("//") != std::string_view::npos) {
                __builtin_trap();
            }
        }
    }
}

int sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<pkg::Problem> problems;
    if (auto r = pkg::parse_dpkg_status(text, "status", problems)) check_paths(*r);
    if (auto r = pkg::parse_apk_installed(text, "installed", problems)) check_paths(*r);
    (void)pkg::parse_os_release(text, "os-release");
    // Problems name their file; a line when they have one.
    for (const auto& p : problems) {
        if (p.file.empty() || p.what.empty()) __builtin_trap();
    }
    const auto nul = text.find('\0');
    const std::string_view a = text.substr(0, nul);
    const std::string_view b = nul == std::string_view::npos ? std::string_view() : text.substr(nul + 1);
    for (auto e : {pkg::Ecosystem::deb, pkg::Ecosystem::apk}) {
        // An order: antisymmetric, and every version equals itself.
        if (sign(pkg::compare_versions(e, a, b)) != -sign(pkg::compare_versions(e, b, a))) __builtin_trap();
        if (pkg::compare_versions(e, a, a) != 0) __builtin_trap();
    }
    return 0;
}
