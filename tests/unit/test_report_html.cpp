// tarsier report's model and page: the one-pass verify equals `verify` on its own, the
// page's data block is escaped and well formed, the CSP hash and base64 match their RFCs'
// vectors.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "query/report.hpp"
#include "report/html_csp.hpp"
#include "report/html_page.hpp"
#include "digest/base64.hpp"
#include "verify/verify.hpp"

using namespace tarsier;

namespace {

std::string fixture(const std::string& name) { return std::string(TARSIER_SOURCE_ROOT) + "/testdata/" + name; }

query::ReportOptions options() {
    query::ReportOptions o;
    o.read.jobs = 2;
    return o;
}

/// Each check as "id verdict subject expected actual", in order.
std::vector<std::string> checks(const verify::Report& r) {
    std::vector<std::string> out;
    for (const auto& c : r.checks)
        out.push_back(c.id + " " + std::string(verify::to_string(c.verdict)) + " " + c.subject + " " + c.expected + " " +
                      c.actual);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(base64_and_csp_hash_match_the_rfc_vectors) {
    // RFC 4648, section 10.
    BOOST_TEST(digest::base64_encode("") == "");
    BOOST_TEST(digest::base64_encode("f") == "Zg==");
    BOOST_TEST(digest::base64_encode("fo") == "Zm8=");
    BOOST_TEST(digest::base64_encode("foobar") == "Zm9vYmFy");
    // SHA-256 of the empty string (FIPS 180-4), in base64.
    BOOST_TEST(report::csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
}

BOOST_AUTO_TEST_CASE(one_pass_verify_equals_verify_archive) {
    for (const char* name : {"sample.tar", "skopeo-oci-gzip.tar", "skopeo-oci-zstd.tar", "skopeo-docker.tar",
                             "bad/docker-wrong-diff-id.tar", "bad/oci-wrong-diff-id.tar", "bad/oci-missing-blob.tar",
                             "bad/oci-wrong-descriptor-size.tar", "bad/oci-unreferenced-blob.tar",
                             "bad/docker-layer-flipped-byte.tar", "bad/oci-gzip-corrupt-midstream.tar"}) {
        BOOST_TEST_CONTEXT(name) {
            auto alone = verify::verify_archive(fixture(name), verify::VerifyOptions{});
            BOOST_REQUIRE(alone);
            auto sel = query::open_image(fixture(name), "@0", options().read, query::kReportNeeds);
            BOOST_REQUIRE(sel);
            auto page = query::report(sel->archive, *sel->image, options());
            BOOST_REQUIRE(page);
            BOOST_TEST(checks(page->verify) == checks(*alone), boost::test_tools::per_element());
            BOOST_TEST(page->verify_layer.size() == page->verify.checks.size());
        }
    }
}

// The sections built side by side (two jobs) are the ones built one after the other.
BOOST_AUTO_TEST_CASE(one_job_and_two_make_the_same_page) {
    for (const char* name : {"sample.tar", "audit/planted.tar", "dpkg-layers/dpkg-layers.docker.tar"}) {
        BOOST_TEST_CONTEXT(name) {
            std::string pages[2];
            for (unsigned jobs : {1u, 2u}) {
                auto o = options();
                o.read.jobs = jobs;
                auto sel = query::open_image(fixture(name), "", o.read, query::kReportNeeds);
                BOOST_REQUIRE(sel);
                auto page = query::report(sel->archive, *sel->image, o);
                BOOST_REQUIRE(page);
                BOOST_REQUIRE(page->files);
                report::render_report_html(*page, report::string_sink(pages[jobs - 1]), jobs);
            }
            BOOST_TEST((pages[0] == pages[1]));
            BOOST_TEST(pages[0].find("id=\"findings\"") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(page_data_block_is_escaped_and_well_formed) {
    auto sel = query::open_image(fixture("sample.tar"), "", options().read, query::kReportNeeds);
    BOOST_REQUIRE(sel);
    auto page = query::report(sel->archive, *sel->image, options());
    BOOST_REQUIRE(page);
    BOOST_REQUIRE(page->files);
    std::string html;
    report::render_report_html(*page, report::string_sink(html));
    const std::string open = "<script type=\"application/json\" id=\"tarsier-data\">";
    auto start = html.find(open);
    BOOST_REQUIRE(start != std::string::npos);
    start += open.size();
    auto end = html.find("</script>", start);
    BOOST_REQUIRE(end != std::string::npos);
    std::string data = html.substr(start, end - start);
    BOOST_TEST(data.find('<') == std::string::npos);
    rapidjson::Document doc;
    doc.Parse(data.c_str());
    BOOST_REQUIRE(!doc.HasParseError());
    BOOST_TEST(doc["schemaVersion"].GetInt() == 1);
    BOOST_TEST(doc["layers"].Size() == page->layers.rows.size());
    const auto& nodes = doc["nodes"];
    BOOST_REQUIRE(nodes.Size() > 1);
    BOOST_TEST(nodes[0][0].GetInt() == -1);
    std::size_t events = 0;
    for (rapidjson::SizeType i = 1; i < nodes.Size(); ++i) {
        const auto& n = nodes[i];
        BOOST_TEST(n[0].GetInt64() >= 0);
        BOOST_TEST(n[0].GetInt64() < static_cast<std::int64_t>(i));  // a directory before what is in it
        BOOST_TEST((n.Size() - 2) % 3 == 0);
        for (rapidjson::SizeType k = 2; k + 2 < n.Size(); k += 3) {
            ++events;
            if (k > 2) BOOST_TEST(n[k].GetUint() > n[k - 3].GetUint());  // layers ascending
        }
    }
    // One event per change of every layer.
    std::size_t changes = 0;
    for (const auto& l : page->files->changes.layers) changes += l.changes.changes.size();
    BOOST_TEST(events == changes);
    // A node's path, through its parents, is the path of a change (or a directory above
    // one), each once.
    std::vector<std::string> paths(nodes.Size());
    std::set<std::string> with_events, seen;
    for (rapidjson::SizeType i = 1; i < nodes.Size(); ++i) {
        const auto parent = static_cast<std::size_t>(nodes[i][0].GetInt64());
        paths[i] = (parent == 0 ? "" : paths[parent] + "/") + nodes[i][1].GetString();
        BOOST_TEST(seen.insert(paths[i]).second, paths[i]);
        if (nodes[i].Size() > 2) with_events.insert(paths[i]);
    }
    std::set<std::string> changed;
    for (const auto& l : page->files->changes.layers)
        for (const auto& c : l.changes.changes) changed.insert(std::string(c.path()));
    BOOST_TEST(with_events == changed, boost::test_tools::per_element());
    for (const auto& p : seen)
        if (auto slash = p.rfind('/'); slash != std::string::npos) BOOST_TEST(seen.count(p.substr(0, slash)) == 1u, p);
    // The data made on a thread of its own is the same page.
    std::string beside;
    report::render_report_html(*page, report::string_sink(beside), 2);
    BOOST_TEST((beside == html));
    // Exactly the page's own two scripts.
    std::size_t closes = 0;
    for (auto p = html.find("</script>"); p != std::string::npos; p = html.find("</script>", p + 1)) ++closes;
    BOOST_TEST(closes == 2u);
}
