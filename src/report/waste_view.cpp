#include "report/waste_view.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "report/json_writer.hpp"
#include "report/sink.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "util/strings.hpp"
#include "util/plural.hpp"

namespace tarsier::report {

namespace {

std::vector<std::string> waste_row(const fs::WastedPath& p) {
    return {std::to_string(p.count), human_size(static_cast<double>(p.total_bytes), 3),
            human_size(static_cast<double>(p.wasted_bytes), 3)};
}

}  // namespace

void render_waste_table(const fs::WasteReport& rep, bool dive, const std::vector<std::string>& violations, const Sink& sink) {
    TextChunks chunks(sink);
    std::string& out = chunks.text();
    out += fmt::format("Mode: {}\n", dive ? "dive-compatible (every copy of a duplicated file counts)"
                                          : "each duplicated file counted except its final copy");
    out += fmt::format("Efficiency: {:.4f} %\n", rep.efficiency * 100);
    out += fmt::format("Total size: {} ({})\n", human_size(static_cast<double>(rep.total_size), 3), util::count(rep.total_size, "byte"));
    out += fmt::format("User size (without the base layer): {} ({})\n", human_size(static_cast<double>(rep.user_size), 3),
                       util::count(rep.user_size, "byte"));
    out += fmt::format("Wasted: {} ({})\n", human_size(static_cast<double>(rep.wasted_bytes), 3), util::count(rep.wasted_bytes, "byte"));
    out += fmt::format("User wasted: {:.4f} %\n\n", rep.user_wasted_fraction * 100);
    // Docker's table alignment, measured first so that the rows can be written as they are made.
    const std::vector<std::string> header{"COUNT", "TOTAL SPACE", "WASTED"};
    StreamedColumns columns(header.size());
    columns.measure(header);
    for (const auto& p : rep.paths) columns.measure(waste_row(p));
    columns.write(out, header, "PATH");
    for (const auto& p : rep.paths) {
        columns.write(out, waste_row(p), util::escape_for_display(p.path));
        chunks.boundary();
    }
    for (const auto& v : violations) out += "FAIL " + v + "\n";
}

void render_waste_json(const fs::WasteReport& rep, bool dive, const std::vector<std::string>& violations, const Sink& sink) {
    JsonChunks chunks(sink);
    JsonWriter& w = chunks.writer();
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("mode");
    put(w, dive ? "dive-compatible" : "default");
    w.Key("efficiency");
    w.Double(rep.efficiency);
    w.Key("totalSize");
    w.Uint64(rep.total_size);
    w.Key("userSize");
    w.Uint64(rep.user_size);
    w.Key("wastedBytes");
    w.Uint64(rep.wasted_bytes);
    w.Key("userWastedFraction");
    w.Double(rep.user_wasted_fraction);
    w.Key("paths");
    w.StartArray();
    for (const auto& p : rep.paths) {
        w.StartObject();
        w.Key("path");
        put(w, p.path);
        w.Key("count");
        w.Uint64(p.count);
        w.Key("totalBytes");
        w.Uint64(p.total_bytes);
        w.Key("wastedBytes");
        w.Uint64(p.wasted_bytes);
        w.EndObject();
        chunks.boundary();
    }
    w.EndArray();
    w.Key("violations");
    w.StartArray();
    for (const auto& v : violations) put(w, v);
    w.EndArray();
    w.EndObject();
    chunks.finish();
}

void render_waste_dive_ci(const fs::WasteReport& rep, const std::vector<query::WasteRuleResult>& rules, const Sink& sink) {
    TextChunks chunks(sink);
    std::string& out = chunks.text();
    out += fmt::format("  efficiency: {:2.4f} %\n", rep.efficiency * 100);
    out += fmt::format("  wastedBytes: {} bytes ({})\n", rep.wasted_bytes, humanize_bytes(rep.wasted_bytes));
    out += fmt::format("  userWastedPercent: {:2.4f} %\n", rep.user_wasted_fraction * 100);
    out += "Inefficient Files:\n";
    out += fmt::format("{:>5}  {:>12}  {}\n", "Count", "Wasted Space", "File Path");
    std::vector<const fs::WastedPath*> files;
    for (const auto& p : rep.paths) files.push_back(&p);
    std::stable_sort(files.begin(), files.end(), [](const auto* a, const auto* b) { return a->total_bytes > b->total_bytes; });
    if (files.empty()) out += "None\n";
    for (const auto* p : files) {
        out += fmt::format("{:>5}  {:>12}  {}\n", p->count, humanize_bytes(p->total_bytes), util::escape_for_display(p->path));
        chunks.boundary();
    }
    out += "Results:\n";
    std::size_t passed = 0, failed = 0, skipped = 0;
    for (const auto& r : rules) {
        if (!r.enabled) {
            ++skipped;
            out += fmt::format("  SKIP: {}: rule disabled\n", r.dive_key);
        } else if (r.passed) {
            ++passed;
            out += fmt::format("  PASS: {}\n", r.dive_key);
        } else {
            ++failed;
            out += fmt::format("  FAIL: {}: {}\n", r.dive_key, r.message);
        }
    }
    out += fmt::format("Result:{} [Total:{}] [Passed:{}] [Failed:{}] [Warn:0] [Skipped:{}]\n", failed ? "FAIL" : "PASS", rules.size(),
                       passed, failed, skipped);
}

}  // namespace tarsier::report
