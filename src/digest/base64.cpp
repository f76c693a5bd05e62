#include "digest/base64.hpp"

#include <openssl/evp.h>

#include <vector>

namespace tarsier::digest {

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    if (text.empty()) return std::string();
    std::vector<unsigned char> out(text.size() / 4 * 3 + 1);
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock counts padding bytes as output: drop one per '='.
    std::size_t pad = 0;
    if (text.back() == '=') ++pad;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
    return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n) - pad);
}

}  // namespace tarsier::digest
