#include "report/verify_view.hpp"

#include <charconv>

#include <fmt/format.h>

#include "report/json_writer.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "report/xml_escape.hpp"
#include "util/plural.hpp"
#include "util/strings.hpp"

namespace tarsier::report {

using query::VerifyOutcome;

using verify::Verdict;

namespace {

std::string verdict_word(const verify::Check& c) {
    switch (c.verdict) {
        case Verdict::pass: return "ok";
        case Verdict::fail: return "FAIL";
        case Verdict::warn: return "warn";
        case Verdict::unverifiable: return "unverifiable";
        case Verdict::absent_by_design: return "absent";
    }
    return "FAIL";
}

std::string short_value(const std::string& v) {
    auto colon = v.find(':');
    if (colon != std::string::npos && v.size() > colon + 13 && v.compare(0, colon, "sha256") == 0) return v.substr(0, colon + 13);
    return v;
}

/// The SIZE cell: the blob's size (compression and decoded size when compressed), or the
/// size a descriptor-size check compared; human sizes only, exact bytes are in the JSON.
std::string size_cell(const verify::Check& c) {
    std::optional<std::uint64_t> size = c.size;
    if (!size && c.id == "descriptor-size" && c.verdict == Verdict::pass) {
        std::uint64_t n = 0;
        auto [p, ec] = std::from_chars(c.actual.data(), c.actual.data() + c.actual.size(), n);
        if (ec == std::errc() && p == c.actual.data() + c.actual.size()) size = n;
    }
    if (!size) return "";
    std::string out = human_size(static_cast<double>(*size), 3);
    if (!c.compression.empty() && c.compression != "none") out += " " + c.compression;
    if (c.uncompressed_size && c.compression != "none" && !c.compression.empty())
        out += " -> " + human_size(static_cast<double>(*c.uncompressed_size), 3);
    return out;
}

std::string detail(const verify::Check& c) {
    std::string out;
    if (c.verdict == Verdict::fail || c.verdict == Verdict::warn) {
        if (!c.expected.empty() || !c.actual.empty()) out += fmt::format("expected {}, found {}", c.expected, c.actual);
        if (!c.message.empty()) out += (out.empty() ? "" : ": ") + c.message;
    } else if (c.id == "descriptor-size") {
        out = "the size its descriptor declares";
    } else {
        if (!c.actual.empty()) out += short_value(c.actual);
        else if (!c.expected.empty()) out += short_value(c.expected);
        if (!c.message.empty() && c.verdict != Verdict::pass) out += (out.empty() ? "" : "  ") + c.message;
    }
    return util::escape_for_display(out);
}

void add_rows(Table& t, const std::vector<const verify::Check*>& checks) {
    for (const auto* c : checks)
        t.add_row({verdict_word(*c), c->id, util::escape_for_display(c->subject), size_cell(*c), detail(*c)});
}

std::string summary(const verify::Report& r) {
    std::string verdict = r.ok() ? "OK" : "FAILED";
    return fmt::format("verify: {}: {}: {}: {} passed, {} failed, {}{}, {} absent by design, {} unverifiable\n",
                       util::escape_for_display(r.archive), verdict, util::count(r.checks.size(), "check"),
                       r.count(Verdict::pass), r.count(Verdict::fail), util::count(r.count(Verdict::warn), "warning"),
                       r.strict ? " (failing: --strict)" : "", r.count(Verdict::absent_by_design),
                       r.count(Verdict::unverifiable));
}

}  // namespace

std::string render_verify_text(const VerifyOutcome& o, bool quiet) {
    if (!o.report) return "";
    const auto& r = *o.report;
    std::vector<const verify::Check*> failures, all;
    for (const auto& c : r.checks) {
        bool failing = c.verdict == Verdict::fail || (r.strict && c.verdict == Verdict::warn);
        if (failing) failures.push_back(&c);
        all.push_back(&c);
    }
    std::string out;
    if (!failures.empty()) {
        Table t;
        add_rows(t, failures);
        out += quiet ? t.render() : "Failures:\n" + t.render() + "\n";
    }
    if (quiet) return out;
    Table t;
    t.add_row({"RESULT", "CHECK", "SUBJECT", "SIZE", "DETAIL"});
    add_rows(t, all);
    out += t.render();
    out += summary(r);
    return out;
}

std::string render_verify_json(const std::vector<VerifyOutcome>& outcomes) {
    JsonBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("archives");
    w.StartArray();
    for (const auto& o : outcomes) {
        w.StartObject();
        w.Key("archive");
        put(w, o.archive);
        if (!o.report) {
            w.Key("verdict");
            put(w, "error");
            w.Key("error");
            put(w, o.error ? o.error->to_string() : "");
            w.EndObject();
            continue;
        }
        const auto& r = *o.report;
        w.Key("format");
        put(w, r.format);
        w.Key("verdict");
        put(w, r.ok() ? "pass" : "fail");
        w.Key("strict");
        w.Bool(r.strict);
        w.Key("summary");
        w.StartObject();
        for (Verdict v : {Verdict::pass, Verdict::fail, Verdict::warn, Verdict::unverifiable, Verdict::absent_by_design}) {
            std::string key(verify::to_string(v));
            w.Key(key.c_str());
            w.Uint64(r.count(v));
        }
        w.EndObject();
        w.Key("checks");
        w.StartArray();
        for (const auto& c : r.checks) {
            w.StartObject();
            w.Key("id");
            put(w, c.id);
            w.Key("verdict");
            put(w, verify::to_string(c.verdict));
            w.Key("subject");
            put(w, c.subject);
            w.Key("expected");
            put(w, c.expected);
            w.Key("actual");
            put(w, c.actual);
            w.Key("message");
            put(w, c.message);
            w.Key("size");
            if (c.size) w.Uint64(*c.size);
            else w.Null();
            w.Key("uncompressedSize");
            if (c.uncompressed_size) w.Uint64(*c.uncompressed_size);
            else w.Null();
            w.Key("compression");
            if (c.compression.empty()) w.Null();
            else put(w, c.compression);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return go_escape(std::string_view(buf.GetString(), buf.GetSize())) + "\n";
}

std::string render_verify_junit(const std::vector<VerifyOutcome>& outcomes) {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    std::string suites;
    for (const auto& o : outcomes) {
        if (!o.report) {
            ++errors;
            ++tests;
            suites += fmt::format("  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
                                  "    <testcase classname=\"tarsier.verify.archive\" name=\"{}\">\n"
                                  "      <error message=\"{}\"/>\n    </testcase>\n  </testsuite>\n",
                                  xml_escape(o.archive), xml_escape(o.archive), xml_escape(o.error ? o.error->to_string() : ""));
            continue;
        }
        const auto& r = *o.report;
        std::size_t f = 0, s = 0;
        std::string cases;
        for (const auto& c : r.checks) {
            cases += fmt::format("    <testcase classname=\"tarsier.verify.{}\" name=\"{}\"", xml_escape(c.id), xml_escape(c.subject));
            bool failing = c.verdict == Verdict::fail || (r.strict && c.verdict == Verdict::warn);
            if (failing) {
                ++f;
                cases += fmt::format(">\n      <failure message=\"{}\">expected: {}\nactual: {}</failure>\n    </testcase>\n",
                                     xml_escape(c.message.empty() ? "check failed" : c.message), xml_escape(c.expected),
                                     xml_escape(c.actual));
            } else if (c.verdict == Verdict::absent_by_design || c.verdict == Verdict::unverifiable) {
                ++s;
                cases += fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                                     xml_escape(std::string(verify::to_string(c.verdict)) + ": " + c.message));
            } else if (c.verdict == Verdict::warn) {
                cases += fmt::format(">\n      <system-out>warning: {}</system-out>\n    </testcase>\n", xml_escape(c.message));
            } else {
                cases += "/>\n";
            }
        }
        tests += r.checks.size();
        failures += f;
        skipped += s;
        suites += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n{}  </testsuite>\n",
                              xml_escape(r.archive), r.checks.size(), f, s, cases);
    }
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tarsier verify\" tests=\"{}\" "
                       "failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{}</testsuites>\n",
                       tests, failures, errors, skipped, suites);
}

}  // namespace tarsier::report
