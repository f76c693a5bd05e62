#include "query/verify.hpp"

namespace tarsier::query {

VerifyOutcome verify(const std::string& path, const VerifyOptions& options) {
    verify::VerifyOptions vo;
    vo.jobs = job_count(options.read);
    vo.strict = options.strict;
    vo.platform = options.read.platform;
    vo.platform_explicit = options.read.platform_explicit;
    vo.max_layer_size = options.max_layer_size;
    vo.max_ratio = options.max_ratio;
    vo.progress = options.read.progress;
    VerifyOutcome out;
    out.archive = path;
    auto r = verify::verify_archive(path, vo);
    if (r) out.report = std::move(*r);
    else out.error = r.error();
    return out;
}

}  // namespace tarsier::query
