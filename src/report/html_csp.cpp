#include "report/html_csp.hpp"

#include "digest/digest.hpp"
#include "digest/base64.hpp"

namespace tarsier::report {

std::string csp_hash(std::string_view block) {
    digest::Hasher h(digest::Algorithm::sha256);
    h.update(block);
    return "'sha256-" + digest::base64_encode(h.finish_bytes()) + "'";
}

}  // namespace tarsier::report
