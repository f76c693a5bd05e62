#include "report/history_view.hpp"

#include "digest/digest.hpp"
#include "oci/config.hpp"
#include "report/json_writer.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "report/width.hpp"
#include "util/strings.hpp"

namespace tarsier::report {

using query::HistoryRow;

namespace {

std::string id_cell(const HistoryRow& r, const HistoryOptions& o) {
    return o.no_trunc || r.id == "<missing>" ? r.id : digest::short_id(r.id);
}

std::string created_by_cell(const HistoryRow& r, const HistoryOptions& o) {
    std::string s = r.created_by;
    for (auto& c : s)
        if (c == '\t') c = ' ';
    return o.no_trunc ? s : ellipsis(s, 45);
}

std::string created_cell(const HistoryRow& r, const HistoryOptions& o) {
    if (!o.human) return rfc3339(r.created, o.utc_offset);
    return created_since(r.created, o.now, CreatedRule::history);
}

std::string size_cell(const HistoryRow& r, const HistoryOptions& o) {
    return o.human ? human_size(static_cast<double>(r.size), 3) : std::to_string(r.size);
}

}  // namespace

std::string render_history_table(const std::vector<HistoryRow>& rows, const HistoryOptions& o) {
    if (o.quiet) {
        std::string out;
        for (const auto& r : rows) out += id_cell(r, o) + "\n";
        return out;
    }
    Table t;
    t.add_row({"IMAGE", o.human ? "CREATED" : "CREATED AT", "CREATED BY", "SIZE", "COMMENT"});
    // Text from the config may carry terminal escapes or invalid UTF-8 (which would also
    // upset the table's alignment): shown as \xNN, as every name from an archive is.
    for (const auto& r : rows)
        t.add_row({id_cell(r, o), created_cell(r, o), util::escape_for_display(created_by_cell(r, o)), size_cell(r, o),
                   util::escape_for_display(r.comment)});
    return t.render();
}

std::string render_history_json(const std::vector<HistoryRow>& rows, const HistoryOptions& o) {
    std::string out;
    for (const auto& r : rows) {
        JsonBuffer buf;
        JsonWriter w(buf);
        w.StartObject();
        w.Key("Comment");
        put(w, r.comment);
        w.Key("CreatedAt");
        put(w, rfc3339(r.created, o.utc_offset));
        w.Key("CreatedBy");
        put(w, created_by_cell(r, o));
        w.Key("CreatedSince");
        put(w, created_cell(r, o));
        w.Key("ID");
        put(w, id_cell(r, o));
        w.Key("Size");
        put(w, size_cell(r, o));
        w.EndObject();
        out += go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
    }
    return out;
}

util::Result<std::string> render_history_template(const std::vector<HistoryRow>& rows, const HistoryOptions& o,
                                                  const Template& format) {
    auto doc = template_json(render_history_json(rows, o), true);
    if (!doc) return doc.failure();
    // docker's historyContext headers (cli/command/image/formatter_history.go).
    static const TemplateFields kFields{{{"Comment", "COMMENT"},
                                         {"CreatedAt", "CREATED AT"},
                                         {"CreatedBy", "CREATED BY"},
                                         {"CreatedSince", "CREATED"},
                                         {"ID", "IMAGE"},
                                         {"Size", "SIZE"}},
                                        "history entry",
                                        true};
    return render_template_rows(format, template_items(**doc), kFields);
}

}  // namespace tarsier::report
