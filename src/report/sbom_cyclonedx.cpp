// CycloneDX JSON (https://cyclonedx.org/docs/1.6/json/): the image as metadata.component,
// the operating system and every installed package as components, each package's files
// as nested components of type "file", and the image depending on all of them.
#include <map>
#include <set>

#include "pkg/license.hpp"
#include "pkg/purl.hpp"
#include "report/json_writer.hpp"
#include "report/sbom.hpp"
#include "report/sbom_subject.hpp"

namespace tarsier::report {

namespace {

using Writer = JsonPrettyWriter;

void property(Writer& w, std::string_view name, std::string_view value) {
    if (value.empty()) return;
    w.StartObject();
    w.Key("name");
    put(w, name);
    w.Key("value");
    put(w, value);
    w.EndObject();
}

void licenses(Writer& w, const std::string& license) {
    auto form = pkg::license_form(license);
    if (form == pkg::LicenseForm::none) return;
    w.Key("licenses");
    w.StartArray();
    w.StartObject();
    if (form == pkg::LicenseForm::expression) {
        w.Key("expression");
        put(w, license);
    } else {
        w.Key("license");
        w.StartObject();
        w.Key(form == pkg::LicenseForm::spdx_id ? "id" : "name");
        put(w, license);
        w.EndObject();
    }
    w.EndObject();
    w.EndArray();
}

/// "hashes": [{alg, content}] of an "alg:hex" digest CycloneDX knows; nothing otherwise.
void hashes(Writer& w, std::string_view digest) {
    auto h = sbom::hash_parts(digest);
    if (h.cyclonedx_alg.empty()) return;
    w.Key("hashes");
    w.StartArray();
    w.StartObject();
    w.Key("alg");
    put(w, h.cyclonedx_alg);
    w.Key("content");
    put(w, h.hex);
    w.EndObject();
    w.EndArray();
}

void layer_properties(Writer& w, std::string_view prefix, const image::LayerId* l) {
    if (!l) return;
    property(w, std::string(prefix) + ":index", std::to_string(l->position));
    property(w, std::string(prefix) + ":diffID", l->diff_id);
    property(w, std::string(prefix) + ":digest", l->digest);
    property(w, std::string(prefix) + ":createdBy", l->created_by);
}

void files(Writer& w, const pkg::Package& p) {
    bool any = false;
    for (const auto& f : p.files) {
        if (f.directory) continue;
        if (!any) {
            w.Key("components");
            w.StartArray();
            any = true;
        }
        w.StartObject();
        w.Key("type");
        w.String("file");
        w.Key("name");
        put(w, "/" + std::string(f.path));
        hashes(w, f.digest);
        w.EndObject();
    }
    if (any) w.EndArray();
}

}  // namespace

std::string render_cyclonedx(const image::Image& img, const query::PackagesReport& report, const SbomOptions& options) {
    const std::string& spec = options.cyclonedx_version;
    sbom::Subject subj = sbom::subject_of(img);
    JsonBuffer buf;
    Writer w(buf);
    configure_pretty(w, 2);
    w.StartObject();
    w.Key("$schema");
    put(w, "http://cyclonedx.org/schema/bom-" + spec + ".schema.json");
    w.Key("bomFormat");
    w.String("CycloneDX");
    w.Key("specVersion");
    put(w, spec);
    w.Key("serialNumber");
    put(w, "urn:uuid:" + sbom::uuid_from("cyclonedx:" + subj.digest + ":" + subj.name + ":" +
                                         std::to_string(report.shown_layer)));
    w.Key("version");
    w.Int(1);

    const std::string image_ref = "image";
    w.Key("metadata");
    w.StartObject();
    if (options.timestamp) {
        w.Key("timestamp");
        put(w, *options.timestamp);
    }
    w.Key("tools");
    w.StartObject();
    w.Key("components");
    w.StartArray();
    w.StartObject();
    w.Key("type");
    w.String("application");
    w.Key("name");
    w.String("tarsier");
    w.Key("version");
    put(w, options.tool_version);
    w.EndObject();
    w.EndArray();
    w.EndObject();
    w.Key("component");
    w.StartObject();
    w.Key("bom-ref");
    put(w, image_ref);
    w.Key("type");
    w.String("container");
    w.Key("name");
    put(w, subj.name);
    if (!subj.digest.empty()) {
        w.Key("version");
        put(w, subj.digest);
        hashes(w, subj.digest);
    }
    if (!subj.purl.empty()) {
        w.Key("purl");
        put(w, subj.purl);
    }
    w.Key("properties");
    w.StartArray();
    property(w, "tarsier:image:id", img.id);
    property(w, "tarsier:image:manifestDigest", img.manifest_digest);
    for (const auto& r : img.references) {
        if (!r.repository.empty()) property(w, "tarsier:image:reference", r.str());
    }
    property(w, "tarsier:image:platform", subj.platform);
    if (auto* l = sbom::layer_at(report, report.shown_layer)) layer_properties(w, "tarsier:image:shownLayer", l);
    w.EndArray();
    w.EndObject();
    w.EndObject();  // metadata

    std::vector<std::string> refs;
    std::set<std::string> used_refs;
    auto unique_ref = [&](std::string ref) {
        std::string r = ref;
        for (int n = 2; used_refs.count(r); ++n) r = ref + "#" + std::to_string(n);
        used_refs.insert(r);
        refs.push_back(r);
        return r;
    };

    w.Key("components");
    w.StartArray();
    if (!report.os.empty()) {
        w.StartObject();
        w.Key("bom-ref");
        put(w, unique_ref("os:" + report.os.id + "@" + report.os.version_id));
        w.Key("type");
        w.String("operating-system");
        w.Key("name");
        put(w, report.os.id.empty() ? "unknown" : report.os.id);
        if (!report.os.version_id.empty()) {
            w.Key("version");
            put(w, report.os.version_id);
        }
        if (!report.os.pretty_name.empty()) {
            w.Key("description");
            put(w, report.os.pretty_name);
        }
        w.Key("evidence");
        w.StartObject();
        w.Key("occurrences");
        w.StartArray();
        w.StartObject();
        w.Key("location");
        put(w, "/" + report.os.file);
        w.EndObject();
        w.EndArray();
        w.EndObject();
        w.EndObject();
    }
    for (const auto& e : report.packages) {
        const pkg::Package& p = e.package;
        if (!pkg::counts_as_installed(p.state)) continue;
        std::string purl = pkg::purl_of(p, report.os).to_string();
        w.StartObject();
        w.Key("bom-ref");
        put(w, unique_ref(purl));
        w.Key("type");
        w.String("library");
        if (!p.maintainer.empty()) {
            w.Key("publisher");
            put(w, p.maintainer);
        }
        if (!p.vendor.empty()) {
            w.Key("supplier");
            w.StartObject();
            w.Key("name");
            put(w, p.vendor);
            w.EndObject();
        }
        w.Key("name");
        put(w, p.name);
        w.Key("version");
        put(w, p.full_version());
        if (!p.description.empty()) {
            w.Key("description");
            put(w, p.description);
        }
        licenses(w, p.license);
        w.Key("purl");
        put(w, purl);
        w.Key("properties");
        w.StartArray();
        property(w, "tarsier:package:type", pkg::ecosystem_name(p.ecosystem));
        property(w, "tarsier:package:arch", p.arch);
        property(w, "tarsier:package:sourceName", p.source_name);
        property(w, "tarsier:package:sourceVersion", p.source_version);
        property(w, "tarsier:package:sourceRpm", p.source_rpm);
        property(w, "tarsier:package:state", pkg::state_name(p.state));
        if (p.installed_size) property(w, "tarsier:package:installedSize", std::to_string(*p.installed_size));
        property(w, "tarsier:package:modularityLabel", p.modularity_label);
        property(w, "tarsier:package:database", "/" + p.db_file);
        layer_properties(w, "tarsier:layer", sbom::layer_at(report, e.installed_in));
        if (e.last_changed_in != e.installed_in) {
            layer_properties(w, "tarsier:layer:lastChanged", sbom::layer_at(report, e.last_changed_in));
        }
        w.EndArray();
        w.Key("evidence");
        w.StartObject();
        w.Key("occurrences");
        w.StartArray();
        auto occurrence = [&](std::size_t layer, std::string_view what) {
            const image::LayerId* l = sbom::layer_at(report, layer);
            if (!l) return;
            w.StartObject();
            w.Key("location");
            put(w, "/" + p.db_file);
            w.Key("additionalContext");
            put(w, std::string(what) + " in " + sbom::layer_context(*l));
            w.EndObject();
        };
        occurrence(e.installed_in, "installed");
        if (e.last_changed_in != e.installed_in) occurrence(e.last_changed_in, "last changed");
        w.EndArray();
        w.EndObject();
        files(w, p);
        w.EndObject();
    }
    w.EndArray();

    w.Key("dependencies");
    w.StartArray();
    w.StartObject();
    w.Key("ref");
    put(w, image_ref);
    w.Key("dependsOn");
    w.StartArray();
    for (const auto& r : refs) put(w, r);
    w.EndArray();
    w.EndObject();
    w.EndArray();
    w.EndObject();
    return go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
}

}  // namespace tarsier::report
