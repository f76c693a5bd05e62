#include "report/ls_view.hpp"

#include <algorithm>
#include <map>

#include "digest/digest.hpp"
#include "oci/config.hpp"
#include "report/json_writer.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "report/width.hpp"
#include "util/strings.hpp"

namespace tarsier::report {

using query::ListRow;

namespace {

std::string id_cell(const ListRow& r, const ListOptions& o) { return o.no_trunc ? r.id : digest::short_id(r.id); }

std::string created_since_cell(const ListRow& r, const ListOptions& o) {
    return created_since(r.created, o.now, CreatedRule::image_list);
}

}  // namespace

std::string render_list_table(const std::vector<ListRow>& rows, const ListOptions& o) {
    if (o.quiet) {
        std::string out;
        for (const auto& r : rows) out += id_cell(r, o) + "\n";
        return out;
    }
    Table t;
    std::vector<std::string> header;
    if (o.show_archive) header.push_back("ARCHIVE");
    header.insert(header.end(), {"REPOSITORY", "TAG"});
    if (o.digests) header.push_back("DIGEST");
    header.insert(header.end(), {"IMAGE ID", "CREATED", "SIZE"});
    t.add_row(header);
    for (const auto& r : rows) {
        std::vector<std::string> cells;
        // Names from the archive are shown escaped (\xNN): no terminal escapes, no bytes
        // that are not UTF-8 (nor the table's own escape byte).
        if (o.show_archive) cells.push_back(util::escape_for_display(r.archive));
        cells.insert(cells.end(), {util::escape_for_display(r.repository), util::escape_for_display(r.tag)});
        if (o.digests) cells.push_back(util::escape_for_display(r.digest));
        std::string since = created_since_cell(r, o);
        cells.insert(cells.end(), {id_cell(r, o), since.empty() ? "N/A" : since, human_size(static_cast<double>(r.size), 3)});
        t.add_row(cells);
    }
    return t.render();
}

std::string render_list_json(const std::vector<ListRow>& rows, const ListOptions& o) {
    std::string out;
    for (const auto& r : rows) {
        JsonBuffer buf;
        JsonWriter w(buf);
        w.StartObject();
        if (o.show_archive) {
            w.Key("Archive");
            put(w, r.archive);
        }
        w.Key("Containers");
        put(w, "N/A");
        w.Key("CreatedAt");
        put(w, go_time_string(r.created, 0, o.utc_offset, o.zone_name));  // Docker keeps whole seconds
        w.Key("CreatedSince");
        put(w, created_since_cell(r, o));
        w.Key("Digest");
        put(w, r.digest);
        w.Key("ID");
        put(w, id_cell(r, o));
        w.Key("Repository");
        put(w, r.repository);
        w.Key("SharedSize");
        put(w, "N/A");
        w.Key("Size");
        put(w, human_size(static_cast<double>(r.size), 3));
        w.Key("Tag");
        put(w, r.tag);
        w.Key("UniqueSize");
        put(w, "N/A");
        w.Key("VirtualSize");
        put(w, human_size(static_cast<double>(r.size)));
        w.EndObject();
        out += go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
    }
    return out;
}

util::Result<std::string> render_list_template(const std::vector<ListRow>& rows, const ListOptions& o, const Template& format) {
    auto doc = template_json(render_list_json(rows, o), true);
    if (!doc) return doc.failure();
    // docker's imageHeaderContext (cli/command/formatter/image.go).
    static const TemplateFields kFields{{{"Archive", "ARCHIVE"},
                                         {"Containers", "CONTAINERS"},
                                         {"CreatedAt", "CREATED AT"},
                                         {"CreatedSince", "CREATED"},
                                         {"Digest", "DIGEST"},
                                         {"ID", "IMAGE ID"},
                                         {"Repository", "REPOSITORY"},
                                         {"SharedSize", "SHARED SIZE"},
                                         {"Size", "SIZE"},
                                         {"Tag", "TAG"},
                                         {"UniqueSize", "UNIQUE SIZE"},
                                         {"VirtualSize", "VIRTUAL SIZE"}},
                                        "image",
                                        true};
    return render_template_rows(format, template_items(**doc), kFields);
}

}  // namespace tarsier::report
