// SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/): the document DESCRIBES the image
// package, the image CONTAINS the operating system and every installed package, each
// package CONTAINS the files its database lists with a digest. SPDX has no properties:
// the layer that installed a package and the one that last changed it are annotations
// (and the sourceInfo text), as tools that read SPDX show them.
#include <cctype>
#include <set>

#include "pkg/license.hpp"
#include "pkg/purl.hpp"
#include "report/json_writer.hpp"
#include "report/sbom.hpp"
#include "report/sbom_subject.hpp"
#include "report/units.hpp"

namespace tarsier::report {

namespace {

using Writer = JsonPrettyWriter;

/// SPDX identifiers allow letters, digits, '.' and '-' only.
std::string spdx_id(std::string_view prefix, std::string_view text, std::size_t n) {
    std::string out(prefix);
    for (char c : text) {
        bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
        out += ok ? c : '-';
    }
    return out + "-" + std::to_string(n);
}

void checksum(Writer& w, std::string_view alg, std::string_view hex) {
    w.StartObject();
    w.Key("algorithm");
    put(w, alg);
    w.Key("checksumValue");
    put(w, hex);
    w.EndObject();
}

void relationship(Writer& w, std::string_view from, std::string_view type, std::string_view to) {
    w.StartObject();
    w.Key("spdxElementId");
    put(w, from);
    w.Key("relationshipType");
    put(w, type);
    w.Key("relatedSpdxElement");
    put(w, to);
    w.EndObject();
}

void annotation(Writer& w, std::string_view annotator, std::string_view date, std::string_view comment) {
    w.StartObject();
    w.Key("annotationType");
    w.String("OTHER");
    w.Key("annotator");
    put(w, annotator);
    w.Key("annotationDate");
    put(w, date);
    w.Key("comment");
    put(w, comment);
    w.EndObject();
}

void noassertion(Writer& w, const char* key) {
    w.Key(key);
    w.String("NOASSERTION");
}

void purl_ref(Writer& w, std::string_view purl) {
    w.Key("externalRefs");
    w.StartArray();
    w.StartObject();
    w.Key("referenceCategory");
    w.String("PACKAGE-MANAGER");
    w.Key("referenceType");
    w.String("purl");
    w.Key("referenceLocator");
    put(w, purl);
    w.EndObject();
    w.EndArray();
}

/// SPDX's creation time: what the user gave, else the image's own creation time, so that
/// the same image gives the same document.
std::string created_of(const image::Image& img, const SbomOptions& o) {
    if (o.timestamp) return *o.timestamp;
    if (auto t = oci::parse_rfc3339(img.config.created)) return rfc3339(t->seconds);
    return rfc3339(0);
}

}  // namespace

std::string render_spdx(const image::Image& img, const query::PackagesReport& report, const SbomOptions& options) {
    sbom::Subject subj = sbom::subject_of(img);
    const std::string created = created_of(img, options);
    const std::string tool = "Tool: tarsier-" + options.tool_version;
    const std::string image_id = "SPDXRef-Image";
    JsonBuffer buf;
    Writer w(buf);
    configure_pretty(w, 2);
    w.StartObject();
    w.Key("spdxVersion");
    w.String("SPDX-2.3");
    w.Key("dataLicense");
    w.String("CC0-1.0");
    w.Key("SPDXID");
    w.String("SPDXRef-DOCUMENT");
    w.Key("name");
    put(w, subj.tag.empty() ? subj.name : subj.name + ":" + subj.tag);
    w.Key("documentNamespace");
    // .invalid (RFC 2606) is nobody's domain: the name is unique by its UUID, and it
    // cannot be mistaken for a location to fetch.
    put(w, "https://tarsier.invalid/spdx/" +
               sbom::uuid_from("spdx:" + subj.digest + ":" + subj.name + ":" + std::to_string(report.shown_layer)));
    w.Key("creationInfo");
    w.StartObject();
    w.Key("created");
    put(w, created);
    w.Key("creators");
    w.StartArray();
    put(w, tool);
    w.EndArray();
    w.EndObject();

    struct Entry {
        const query::PackageEntry* e;
        std::string id;
        std::string purl;
    };
    std::vector<Entry> entries;
    for (const auto& e : report.packages) {
        if (!pkg::counts_as_installed(e.package.state)) continue;
        entries.push_back({&e, spdx_id("SPDXRef-Package-" + std::string(pkg::ecosystem_name(e.package.ecosystem)) + "-",
                                       e.package.name, entries.size() + 1),
                           pkg::purl_of(e.package, report.os).to_string()});
    }
    std::string os_id = report.os.empty() ? "" : spdx_id("SPDXRef-OperatingSystem-", report.os.id, 0);

    w.Key("packages");
    w.StartArray();
    // The image.
    w.StartObject();
    w.Key("SPDXID");
    put(w, image_id);
    w.Key("name");
    put(w, subj.name);
    if (!subj.digest.empty()) {
        w.Key("versionInfo");
        put(w, subj.digest);
    }
    noassertion(w, "downloadLocation");
    w.Key("filesAnalyzed");
    w.Bool(false);
    w.Key("primaryPackagePurpose");
    w.String("CONTAINER");
    if (auto h = sbom::hash_parts(subj.digest); !h.spdx_alg.empty()) {
        w.Key("checksums");
        w.StartArray();
        checksum(w, h.spdx_alg, h.hex);
        w.EndArray();
    }
    if (!subj.purl.empty()) purl_ref(w, subj.purl);
    noassertion(w, "licenseConcluded");
    noassertion(w, "licenseDeclared");
    noassertion(w, "copyrightText");
    w.EndObject();
    // The operating system.
    if (!os_id.empty()) {
        w.StartObject();
        w.Key("SPDXID");
        put(w, os_id);
        w.Key("name");
        put(w, report.os.id.empty() ? "unknown" : report.os.id);
        if (!report.os.version_id.empty()) {
            w.Key("versionInfo");
            put(w, report.os.version_id);
        }
        noassertion(w, "downloadLocation");
        w.Key("filesAnalyzed");
        w.Bool(false);
        w.Key("primaryPackagePurpose");
        w.String("OPERATING_SYSTEM");
        if (!report.os.pretty_name.empty()) {
            w.Key("description");
            put(w, report.os.pretty_name);
        }
        w.Key("sourceInfo");
        put(w, "read from /" + report.os.file);
        noassertion(w, "licenseConcluded");
        noassertion(w, "licenseDeclared");
        noassertion(w, "copyrightText");
        w.EndObject();
    }
    for (const auto& en : entries) {
        const pkg::Package& p = en.e->package;
        w.StartObject();
        w.Key("SPDXID");
        put(w, en.id);
        w.Key("name");
        put(w, p.name);
        w.Key("versionInfo");
        put(w, p.full_version());
        if (!p.vendor.empty()) {
            w.Key("supplier");
            put(w, "Organization: " + p.vendor);
        } else if (!p.maintainer.empty()) {
            w.Key("supplier");
            put(w, "Person: " + p.maintainer);
        }
        noassertion(w, "downloadLocation");
        w.Key("filesAnalyzed");
        w.Bool(false);
        w.Key("primaryPackagePurpose");
        w.String("LIBRARY");
        if (!p.description.empty()) {
            w.Key("summary");
            put(w, p.description);
        }
        auto form = pkg::license_form(p.license);
        noassertion(w, "licenseConcluded");
        w.Key("licenseDeclared");
        put(w, form == pkg::LicenseForm::spdx_id || form == pkg::LicenseForm::expression ? p.license : "NOASSERTION");
        if (form == pkg::LicenseForm::text) {
            w.Key("licenseComments");
            put(w, "the package database says: " + p.license);
        }
        noassertion(w, "copyrightText");
        w.Key("sourceInfo");
        std::string info = "read from /" + p.db_file;
        if (const auto* l = sbom::layer_at(report, en.e->installed_in)) info += "; installed in " + sbom::layer_context(*l);
        if (en.e->last_changed_in != en.e->installed_in) {
            if (const auto* l = sbom::layer_at(report, en.e->last_changed_in)) info += "; last changed in " + sbom::layer_context(*l);
        }
        put(w, info);
        purl_ref(w, en.purl);
        w.Key("annotations");
        w.StartArray();
        auto layer_note = [&](std::string_view what, std::size_t i) {
            const auto* l = sbom::layer_at(report, i);
            if (!l) return;
            annotation(w, tool, created, std::string("tarsier:layer:") + std::string(what) + ":index=" + std::to_string(l->position));
            if (!l->diff_id.empty()) annotation(w, tool, created, std::string("tarsier:layer:") + std::string(what) + ":diffID=" + l->diff_id);
            if (!l->created_by.empty()) {
                annotation(w, tool, created, std::string("tarsier:layer:") + std::string(what) + ":createdBy=" + l->created_by);
            }
        };
        layer_note("installed", en.e->installed_in);
        layer_note("lastChanged", en.e->last_changed_in);
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();

    // Files with a digest in their package's database (SPDX requires a checksum).
    struct FileRef {
        std::string package_id, file_id;
    };
    std::vector<FileRef> contains;
    w.Key("files");
    w.StartArray();
    std::size_t file_n = 0;
    for (const auto& en : entries) {
        for (const auto& f : en.e->package.files) {
            auto h = sbom::hash_parts(f.digest);
            if (f.directory || h.spdx_alg.empty()) continue;
            std::string id = "SPDXRef-File-" + std::to_string(++file_n);
            w.StartObject();
            w.Key("SPDXID");
            put(w, id);
            w.Key("fileName");
            put(w, "./" + std::string(f.path));
            w.Key("checksums");
            w.StartArray();
            checksum(w, h.spdx_alg, h.hex);
            w.EndArray();
            w.Key("comment");
            put(w, "checksum as the package database records it");
            noassertion(w, "licenseConcluded");
            noassertion(w, "copyrightText");
            w.EndObject();
            contains.push_back({en.id, std::move(id)});
        }
    }
    w.EndArray();

    w.Key("relationships");
    w.StartArray();
    relationship(w, "SPDXRef-DOCUMENT", "DESCRIBES", image_id);
    if (!os_id.empty()) relationship(w, image_id, "CONTAINS", os_id);
    for (const auto& en : entries) relationship(w, image_id, "CONTAINS", en.id);
    for (const auto& c : contains) relationship(w, c.package_id, "CONTAINS", c.file_id);
    w.EndArray();
    w.EndObject();
    return go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
}

}  // namespace tarsier::report
