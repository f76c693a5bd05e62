#pragma once
/// `tarsier inspect`: the shape of `docker image inspect`.

#include <optional>
#include <string>
#include <vector>

#include "image/model.hpp"
#include "query/inspect.hpp"
#include "report/template.hpp"

namespace tarsier::report {

/// A JSON array like `docker image inspect`, indented with 4 spaces, Go-escaped, ending
/// with a newline.
std::string render_inspect(const std::vector<query::InspectItem>& items);
/// `docker image inspect -f TEMPLATE`: the template over each object of render_inspect's
/// array, each result ended by a newline. A field an object lacks prints "<no value>".
util::Result<std::string> render_inspect_template(const std::vector<query::InspectItem>& items, const Template& format);

/// Go's RFC 3339 with nanoseconds (time.RFC3339Nano) of an RFC 3339 input, as Go
/// re-marshals a parsed time: trailing fraction zeros dropped, offset kept ("Z" for UTC).
/// Returns "0001-01-01T00:00:00Z" for an empty or unparsable input.
std::string go_time_json(std::string_view rfc3339);

}  // namespace tarsier::report
