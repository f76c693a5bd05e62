#include "report/inspect_view.hpp"

#include <map>
#include <string_view>

#include "oci/json.hpp"
#include "report/json_writer.hpp"

namespace tarsier::report {

using query::InspectItem;

namespace {

/// The fields of Docker's image config as `docker image inspect` prints them (the Go
/// struct DockerOCIImageConfig: OCI ImageConfig then Docker's extensions), all omitempty.
constexpr const char* kConfigFields[] = {"User",       "ExposedPorts", "Env",         "Entrypoint",
                                         "Cmd",        "Volumes",      "WorkingDir",  "Labels",
                                         "StopSignal", "ArgsEscaped",  "Healthcheck", "OnBuild",
                                         "Shell"};

bool is_empty(const rapidjson::Value& v) {
    if (v.IsNull()) return true;
    if (v.IsString()) return v.GetStringLength() == 0;
    if (v.IsArray()) return v.Empty();
    if (v.IsObject()) return v.MemberCount() == 0;
    if (v.IsBool()) return !v.GetBool();
    return false;
}

/// A Go map as encoding/json writes it: keys in byte order, and a key the document gives
/// twice written once, with its last value (as Go decodes it).
void write_map(JsonPrettyWriter& w, const rapidjson::Value& v) {
    std::map<std::string_view, const rapidjson::Value*> members;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
        members[std::string_view(it->name.GetString(), it->name.GetStringLength())] = &it->value;
    w.StartObject();
    for (const auto& [key, value] : members) {
        w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        value->Accept(w);
    }
    w.EndObject();
}

bool is_map_field(std::string_view field) { return field == "ExposedPorts" || field == "Volumes" || field == "Labels"; }

void write_config(JsonPrettyWriter& w, const image::Image& img) {
    auto doc = oci::parse_json(img.config_text, img.config_entry);
    const oci::JsonValue* config = doc ? oci::member((*doc)->doc, "config") : nullptr;
    w.StartObject();
    if (config && config->IsObject()) {
        for (const char* field : kConfigFields) {
            const oci::JsonValue* v = oci::member(*config, field);
            if (!v || is_empty(*v)) continue;
            w.Key(field);
            if (v->IsObject() && is_map_field(field)) write_map(w, *v);
            else v->Accept(w);
        }
    }
    w.EndObject();
}

void write_descriptor(JsonPrettyWriter& w, const oci::Descriptor& d) {
    w.StartObject();
    w.Key("mediaType");
    put(w, d.media_type);
    w.Key("digest");
    put(w, d.digest);
    w.Key("size");
    w.Int64(d.size < 0 ? 0 : d.size);
    if (!d.urls.empty()) {
        w.Key("urls");
        w.StartArray();
        for (const auto& u : d.urls) put(w, u);
        w.EndArray();
    }
    if (!d.annotations.empty()) {
        w.Key("annotations");
        w.StartObject();
        for (const auto& [k, v] : d.annotations) {
            w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
            put(w, v);
        }
        w.EndObject();
    }
    if (d.platform) {
        w.Key("platform");
        w.StartObject();
        w.Key("architecture");
        put(w, d.platform->architecture);
        w.Key("os");
        put(w, d.platform->os);
        if (!d.platform->os_version.empty()) {
            w.Key("os.version");
            put(w, d.platform->os_version);
        }
        if (!d.platform->variant.empty()) {
            w.Key("variant");
            put(w, d.platform->variant);
        }
        w.EndObject();
    }
    w.EndObject();
}

void write_image(JsonPrettyWriter& w, const InspectItem& item) {
    const image::Image& img = *item.image;
    const auto& c = img.config;
    w.StartObject();
    w.Key("Id");
    put(w, img.id);
    w.Key("RepoTags");
    w.StartArray();
    for (const auto& r : img.references) {
        if (r.repository.empty()) continue;
        put(w, r.tag.empty() ? r.repository : r.repository + ":" + r.tag);
    }
    w.EndArray();
    w.Key("RepoDigests");
    w.StartArray();
    for (const auto& d : img.repo_digests) put(w, d);
    w.EndArray();
    w.Key("Parent");
    put(w, img.parent);
    w.Key("Comment");
    put(w, c.comment);
    w.Key("Created");
    put(w, go_time_json(c.created));
    w.Key("DockerVersion");
    put(w, c.docker_version);
    w.Key("Author");
    put(w, c.author);
    w.Key("Config");
    write_config(w, img);
    w.Key("Architecture");
    put(w, c.architecture);
    if (!c.variant.empty()) {
        w.Key("Variant");
        put(w, c.variant);
    }
    w.Key("Os");
    put(w, c.os);
    if (!c.os_version.empty()) {
        w.Key("OsVersion");
        put(w, c.os_version);
    }
    w.Key("Size");
    w.Uint64(item.size.value_or(0));
    w.Key("RootFS");
    w.StartObject();
    w.Key("Type");
    put(w, c.rootfs_type.empty() ? "layers" : c.rootfs_type);
    if (!c.diff_ids.empty()) {
        w.Key("Layers");
        w.StartArray();
        for (const auto& d : c.diff_ids) put(w, d);
        w.EndArray();
    }
    w.EndObject();
    w.Key("Metadata");
    w.StartObject();
    w.Key("LastTagTime");
    put(w, "0001-01-01T00:00:00Z");
    w.EndObject();
    if (img.descriptor) {
        w.Key("Descriptor");
        write_descriptor(w, *img.descriptor);
    }
    w.EndObject();
}

}  // namespace

std::string go_time_json(std::string_view s) {
    auto t = oci::parse_rfc3339(s);
    if (!t) return "0001-01-01T00:00:00Z";
    // Keep the original date, time and offset; only the fraction is rewritten.
    std::string out(s.substr(0, 19));
    if (t->nanos != 0) {
        char frac[16];
        std::snprintf(frac, sizeof frac, ".%09d", t->nanos);
        std::string f = frac;
        while (f.back() == '0') f.pop_back();
        out += f;
    }
    std::size_t tz = 19;
    if (tz < s.size() && s[tz] == '.') {
        ++tz;
        while (tz < s.size() && s[tz] >= '0' && s[tz] <= '9') ++tz;
    }
    std::string_view zone = s.substr(tz);
    if (zone == "z" || zone == "Z" || zone == "+00:00") out += "Z";
    else out += std::string(zone);
    if (out[10] != 'T') out[10] = 'T';
    return out;
}

std::string render_inspect(const std::vector<InspectItem>& items) {
    JsonBuffer buf;
    JsonPrettyWriter w(buf);
    configure_pretty(w, 4);
    w.StartArray();
    for (const auto& item : items) write_image(w, item);
    w.EndArray();
    return go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
}

util::Result<std::string> render_inspect_template(const std::vector<InspectItem>& items, const Template& format) {
    auto doc = template_json(render_inspect(items));
    if (!doc) return doc.failure();
    return render_template_rows(format, template_items(**doc), TemplateFields{{}, "image", false});
}

}  // namespace tarsier::report
