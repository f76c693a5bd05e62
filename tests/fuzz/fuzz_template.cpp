/// libFuzzer target: --format templates. The input is split at its first NUL byte into a
/// template and a JSON row; the template is parsed in both dialects and run over the row
/// (or a fixed one when the rest is no JSON) with small limits, plainly and as a table.
/// A template may fail, never crash, hang or pass its limits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "report/template.hpp"

using namespace tarsier;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    std::size_t nul = in.find('\0');
    std::string_view text = in.substr(0, nul);
    std::string_view json = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
    auto doc = report::template_json(json);
    if (!doc) doc = report::template_json(R"({"ID":"abc","Tags":["a","b"],"Labels":{"k":"v"},"N":3,"F":1.5,"Z":null})");
    if (!doc) __builtin_trap();
    report::TemplateLimits limits;
    limits.max_steps = 100000;
    limits.max_output = 1 << 20;
    for (auto dialect : {report::TemplateDialect::formatter, report::TemplateDialect::inspect}) {
        auto t = report::Template::parse(text, dialect, limits);
        if (!t) continue;
        std::vector<const rapidjson::Value*> rows{&**doc, &**doc};
        report::TemplateFields fields{{{"ID", "IMAGE ID"}, {"N", "NUMBER"}}, "row", dialect == report::TemplateDialect::formatter};
        auto out = report::render_template_rows(*t, rows, fields);
        if (out && out->size() > 4 * limits.max_output) __builtin_trap();
    }
    return 0;
}
