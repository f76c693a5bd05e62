#include "report/waste_view.hpp"

#include <fmt/format.h>

#include "report/json_writer.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "util/strings.hpp"

namespace tarsier::report {

std::string render_waste_table(const fs::WasteReport& rep, bool dive, const std::vector<std::string>& violations) {
    std::string out;
    out += fmt::format("Mode: {}\n", dive ? "dive-compatible (every copy of a duplicated file counts)"
                                          : "each duplicated file counted except its final copy");
    out += fmt::format("Efficiency: {:.4f} %\n", rep.efficiency * 100);
    out += fmt::format("Total size: {} ({} bytes)\n", human_size(static_cast<double>(rep.total_size), 3), rep.total_size);
    out += fmt::format("User size (without the base layer): {} ({} bytes)\n", human_size(static_cast<double>(rep.user_size), 3),
                       rep.user_size);
    out += fmt::format("Wasted: {} ({} bytes)\n", human_size(static_cast<double>(rep.wasted_bytes), 3), rep.wasted_bytes);
    out += fmt::format("User wasted: {:.4f} %\n\n", rep.user_wasted_fraction * 100);
    Table t;
    t.add_row({"COUNT", "TOTAL SPACE", "WASTED", "PATH"});
    for (const auto& p : rep.paths)
        t.add_row({std::to_string(p.count), human_size(static_cast<double>(p.total_bytes), 3),
                   human_size(static_cast<double>(p.wasted_bytes), 3), util::escape_for_display(p.path)});
    out += t.render();
    for (const auto& v : violations) out += "FAIL " + v + "\n";
    return out;
}

std::string render_waste_json(const fs::WasteReport& rep, bool dive, const std::vector<std::string>& violations) {
    JsonBuffer buf;
    JsonWriter w(buf);
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
    }
    w.EndArray();
    w.Key("violations");
    w.StartArray();
    for (const auto& v : violations) put(w, v);
    w.EndArray();
    w.EndObject();
    return go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
}

}  // namespace tarsier::report
