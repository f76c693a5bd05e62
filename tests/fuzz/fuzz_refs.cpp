/// libFuzzer target: the small grammars — digests (`alg:hex`), image references as Docker
/// normalises them, `--filter reference=` patterns (Go's path.Match), platforms
/// (containerd's specifiers) and RFC 3339 times. The input is split at its first NUL
/// byte into a pattern and a name for the matchers; each half is parsed as everything.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "digest/digest.hpp"
#include "oci/config.hpp"
#include "oci/platform.hpp"
#include "oci/reference.hpp"

using namespace tarsier;

namespace {

void parse_all(std::string_view s) {
    if (auto d = digest::Digest::parse(s)) {
        // A parsed digest prints back as what was parsed.
        if (d->str() != s) __builtin_trap();
        if (d->verifiable()) (void)d->verifiable_algorithm();
    }
    if (auto r = oci::Reference::parse(s)) {
        // Normalising is idempotent: the canonical form parses to the same reference.
        auto again = oci::Reference::parse(r->to_string());
        if (!again || !(*again == *r)) __builtin_trap();
        (void)r->familiar_string();
    }
    if (auto p = oci::Platform::parse(s)) {
        (void)oci::normalize(*p);
        (void)p->to_string();
        (void)oci::Platform::parse(p->to_string_all());
        (void)oci::matches(*p, *p);
    }
    (void)oci::parse_rfc3339(s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto nul = text.find('\0');
    const std::string_view first = text.substr(0, nul);
    const std::string_view second = nul == std::string_view::npos ? std::string_view() : text.substr(nul + 1);
    parse_all(first);
    if (!second.empty()) parse_all(second);
    (void)oci::path_match(first, second);
    if (auto r = oci::Reference::parse(second)) (void)oci::reference_filter_match(first, *r);
    return 0;
}
