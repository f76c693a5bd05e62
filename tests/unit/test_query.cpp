// The query layer on archives held in memory: layer identity and selection, the
// filesystem queries' answers, and what a stream can still tell after one pass.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>

#include "zlib_gzip.hpp"

#include "digest/digest.hpp"
#include "image/layer_id.hpp"
#include "query/changes.hpp"
#include "query/history.hpp"
#include "query/layers.hpp"
#include "query/merged.hpp"
#include "query/read.hpp"
#include "util/plural.hpp"
#include "util/size.hpp"

using namespace tarsier;

namespace {

std::string slurp(const std::string& rel) {
    std::ifstream in(std::string(TARSIER_SOURCE_ROOT) + "/" + rel, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    BOOST_REQUIRE_MESSAGE(in.good() || in.eof(), "cannot read " + rel);
    return s.str();
}


query::Selected open_sample(query::Needs needs, const std::string& bytes = slurp("testdata/sample.tar")) {
    auto ar = query::open_archive_bytes("sample.tar", bytes, {}, needs);
    BOOST_REQUIRE_MESSAGE(bool(ar), (ar ? std::string() : ar.error().to_string()));
    auto sel = query::select(std::move(*ar), "tarsier/sample:latest");
    BOOST_REQUIRE_MESSAGE(bool(sel), (sel ? std::string() : sel.error().to_string()));
    return std::move(*sel);
}

std::vector<image::LayerId> ids() {
    return {{0, "sha256:aaaa1111", "sha256:bbbb2222", ""},
            {1, "sha256:aaaa3333", "sha256:cccc4444", ""},
            {2, "sha512:dddd5555", "sha256:eeee6666", ""}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_selection)

BOOST_AUTO_TEST_CASE(positions_of_any_length) {
    BOOST_TEST(!image::select_layer(ids(), "")->has_value());
    BOOST_TEST(**image::select_layer(ids(), "2") == 2u);
    BOOST_TEST(**image::select_layer(ids(), "0002") == 2u);
    for (const char* bad : {"3", "99999999999999999999", "184467440737095516160"}) {
        auto r = image::select_layer(ids(), bad);
        BOOST_REQUIRE(!r);
        BOOST_TEST((r.error().kind == util::ErrorKind::usage));
        BOOST_TEST(r.error().where == "--layer");
        BOOST_TEST(r.error().what.find("3 layers (0 to 2)") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(blob_digest_or_diff_id_prefixes) {
    BOOST_TEST(**image::select_layer(ids(), "aaaa1") == 0u);
    BOOST_TEST(**image::select_layer(ids(), "sha256:aaaa3") == 1u);
    BOOST_TEST(**image::select_layer(ids(), "cccc") == 1u);     // a diff_id
    BOOST_TEST(**image::select_layer(ids(), "dddd") == 2u);     // any algorithm
    BOOST_TEST(!image::select_layer(ids(), "sha256:dddd"));     // but not another one's
    auto ambiguous = image::select_layer(ids(), "aaaa");
    BOOST_REQUIRE(!ambiguous);
    BOOST_TEST(ambiguous.error().what.find("layers 0 and 1") != std::string::npos);
    BOOST_TEST(!image::select_layer(ids(), "ffff"));
    BOOST_TEST(!image::select_layer(ids(), "sha256:"));
}

BOOST_AUTO_TEST_CASE(one_prefix_rule_for_images_and_layers) {
    BOOST_TEST(digest::matches_prefix("abc", "sha256:abcdef"));
    BOOST_TEST(digest::matches_prefix("sha256:abc", "sha256:abcdef"));
    BOOST_TEST(!digest::matches_prefix("sha512:abc", "sha256:abcdef"));
    BOOST_TEST(digest::matches_prefix("abc", "abcdef"));  // a pre-1.10 image ID: bare hex
    BOOST_TEST(!digest::matches_prefix("", "sha256:abcdef"));
    BOOST_TEST(!digest::matches_prefix("sha256:", "sha256:abcdef"));
    BOOST_TEST(!digest::matches_prefix("abc", ""));
    BOOST_TEST(!digest::matches_prefix("bcd", "sha256:abcdef"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(queries_in_memory)

BOOST_AUTO_TEST_CASE(changes_of_one_layer_chosen_by_diff_id) {
    auto sel = open_sample(query::kFilesNeeds);
    query::ChangesOptions o;
    o.layer = "2e4ffd0f";
    auto rep = query::changes(sel.archive, *sel.image, o);
    BOOST_REQUIRE_MESSAGE(bool(rep), (rep ? std::string() : rep.error().to_string()));
    BOOST_REQUIRE_EQUAL(rep->layers.size(), 1u);
    BOOST_TEST(rep->layers[0].layer.position == 2u);
    // docker save: layers are stored uncompressed, so the blob digest is the diff_id.
    BOOST_TEST(rep->layers[0].layer.digest == rep->layers[0].layer.diff_id);
    BOOST_TEST(rep->layers[0].layer.created_by.find("rm /app/data/cache.txt") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(files_reports_patterns_that_match_nothing) {
    auto sel = open_sample(query::kFilesNeeds);
    query::FilesOptions o;
    o.patterns = {"etc/motd", "/no/such", "/usr/lib/*.so"};
    auto rep = query::files(sel.archive, *sel.image, o);
    BOOST_REQUIRE(bool(rep));
    std::vector<std::string> paths;
    for (const auto* n : rep->nodes) paths.emplace_back(n->path());
    BOOST_TEST(paths == (std::vector<std::string>{"etc/motd", "usr/lib/libdemo.so"}), boost::test_tools::per_element());
    BOOST_TEST(rep->unmatched == std::vector<std::string>{"/no/such"}, boost::test_tools::per_element());
    BOOST_TEST(rep->layer == 3u);
}

BOOST_AUTO_TEST_CASE(blame_of_a_path_no_layer_has) {
    auto sel = open_sample(query::kFilesNeeds);
    query::BlameOptions o;
    o.path = "/no/such/path";
    auto rep = query::blame(sel.archive, *sel.image, o);
    BOOST_REQUIRE(bool(rep));
    BOOST_TEST(rep->layers.empty());
    BOOST_TEST(rep->path == "no/such/path");
}

BOOST_AUTO_TEST_CASE(estimates_survive_a_compressed_stream) {
    // A gzip outer archive is read once, as a stream: what layers --estimate-download
    // needs must be computed while it passes, not turn every size into unknown.
    query::LayersOptions lo;
    lo.estimate_download = true;
    auto sel = open_sample(query::layers_needs(lo), test::gzip(slurp("testdata/sample.tar")));
    BOOST_REQUIRE((sel.archive.container->packaging() == archive::Packaging::tar_stream));
    auto rep = query::layers(sel.archive, *sel.image, lo);
    BOOST_REQUIRE_EQUAL(rep.rows.size(), 4u);
    for (const auto& row : rep.rows) {
        BOOST_TEST(row.download.has_value());
        BOOST_TEST(row.download_estimated);
        BOOST_TEST(row.uncompressed.has_value());
        BOOST_TEST(row.content.has_value());
        BOOST_TEST(row.digest == row.diff_id);
    }
    BOOST_TEST(rep.findings.empty());
}

BOOST_AUTO_TEST_CASE(history_rows_carry_layer_sizes) {
    auto sel = open_sample({});
    auto rep = query::history(sel.archive, *sel.image, {});
    BOOST_TEST(rep.findings.empty());
    BOOST_REQUIRE(!rep.rows.empty());
    BOOST_TEST(rep.rows.front().id == sel.image->id);
    std::uint64_t total = 0;
    for (const auto& r : rep.rows) total += r.size;
    BOOST_TEST(total == 29773u);  // the Size that inspect reports (tests/cli/cases/inspect-sample)
}

BOOST_AUTO_TEST_CASE(a_truncated_archive_in_memory_is_an_error_naming_it) {
    auto bytes = slurp("testdata/sample.tar");
    auto ar = query::open_archive_bytes("cut.tar", bytes.substr(0, bytes.size() / 2), {}, {});
    BOOST_REQUIRE(!ar);
    BOOST_TEST(ar.error().file == "cut.tar");
    BOOST_TEST((ar.error().kind == util::ErrorKind::truncated));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sizes_and_counts)

BOOST_AUTO_TEST_CASE(sizes_as_users_type_them) {
    auto ok = [](const char* s) {
        auto r = util::parse_size(s, "--x");
        BOOST_REQUIRE_MESSAGE(bool(r), (std::string(s) + ": " + (r ? std::string() : r.error().what)));
        return *r;
    };
    BOOST_TEST(ok("0") == 0u);
    BOOST_TEST(ok("1000000") == 1000000u);
    BOOST_TEST(ok("512B") == 512u);
    BOOST_TEST(ok("512k") == 512u * 1024);
    BOOST_TEST(ok("64G") == 64ull << 30);
    BOOST_TEST(ok("20MB") == 20000000u);
    BOOST_TEST(ok("29.8kB") == 29800u);
    BOOST_TEST(ok("1.5GiB") == 1610612736u);
    BOOST_TEST(ok("18446744073709551614") == 18446744073709551614ull);
    for (const char* bad : {"", "k", "1.5", "12 MB", "1e3", "5XB", "-1", "18446744073709551616", "17179869184G"}) {
        auto r = util::parse_size(bad, "--x");
        BOOST_TEST(!r, std::string(bad));
        if (!r) BOOST_TEST(r.error().where == "--x");
    }
}

BOOST_AUTO_TEST_CASE(counted_nouns) {
    BOOST_TEST(util::count(1, "layer") == "1 layer");
    BOOST_TEST(util::count(0, "layer") == "0 layers");
    BOOST_TEST(util::count(2, "entry", "entries") == "2 entries");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(merged_layers_in_parallel)

namespace {

/// Records the paths it is given; fails at `fail_at` (a path) when set.
class Recorder final : public query::MergedWriter {
public:
    explicit Recorder(std::string fail_at = {}) : m_fail_at(std::move(fail_at)) {}
    util::Result<void> write(const query::MergedEntry& e, io::Reader*) override {
        if (!m_fail_at.empty() && e.header.path == m_fail_at) return util::fail(util::ErrorKind::unreadable, e.header.path, "refused");
        paths.push_back(e.header.path);
        return {};
    }
    std::vector<std::string> paths;

private:
    std::string m_fail_at;
};

/// write_merged_layers with `jobs` threads, layer i given to writers[i] (a default
/// Recorder, which fails nowhere, where `writers` has none for i).
util::Result<void> run_layers(const query::Selected& s, const query::MergedPlan& plan, std::map<std::size_t, Recorder>& writers,
                              unsigned jobs) {
    std::mutex m;
    return query::write_merged_layers(s.archive, *s.image, plan, [&](std::size_t i) -> query::MergedWriter& {
        std::lock_guard lock(m);
        return writers[i];
    }, jobs);
}

/// Every layer's paths as write_merged_layers gives them, with `jobs` threads.
std::map<std::size_t, std::vector<std::string>> per_layer(const query::Selected& s, const query::MergedPlan& plan, unsigned jobs) {
    std::map<std::size_t, Recorder> writers;
    auto r = run_layers(s, plan, writers, jobs);
    BOOST_REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().to_string()));
    std::map<std::size_t, std::vector<std::string>> out;
    for (auto& [i, w] : writers) out[i] = w.paths;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_layer_in_tar_order_as_one_pass_gives_it) {
    auto s = open_sample(query::kFilesNeeds);
    auto plan = query::plan_merged(s.archive, *s.image, {});
    BOOST_REQUIRE(bool(plan));
    Recorder one_pass;
    BOOST_REQUIRE(bool(query::write_merged(s.archive, *s.image, *plan, one_pass)));
    for (unsigned jobs : {1u, 2u, 4u}) {
        auto got = per_layer(s, *plan, jobs);
        BOOST_TEST(got.size() >= 3u, "layers that feed a path: " << got.size());
        std::vector<std::string> joined;  // in layer order: write_merged's own order
        for (const auto& [i, paths] : got) {
            BOOST_TEST(!plan->feeds[i].empty());
            joined.insert(joined.end(), paths.begin(), paths.end());
        }
        BOOST_TEST(joined == one_pass.paths, "jobs " << jobs);
    }
}

BOOST_AUTO_TEST_CASE(the_failure_of_the_lowest_failing_layer) {
    auto s = open_sample(query::kFilesNeeds);
    auto plan = query::plan_merged(s.archive, *s.image, {});
    BOOST_REQUIRE(bool(plan));
    auto layers = per_layer(s, *plan, 1);
    BOOST_REQUIRE(layers.size() >= 2u);
    const std::size_t low = layers.begin()->first, high = layers.rbegin()->first;
    const std::string low_path = layers.begin()->second.back(), high_path = layers.rbegin()->second.front();
    for (unsigned jobs : {1u, 2u}) {
        std::map<std::size_t, Recorder> writers;
        writers.emplace(low, Recorder(low_path));
        writers.emplace(high, Recorder(high_path));
        auto r = run_layers(s, *plan, writers, jobs);
        BOOST_REQUIRE(!r);
        BOOST_TEST(r.error().where == low_path, "jobs " << jobs << ": " << r.error().to_string());
        BOOST_TEST(r.error().what == "refused");
    }
    // Only the highest layer fails: its failure, whichever layers were stopped by it.
    std::map<std::size_t, Recorder> writers;
    writers.emplace(high, Recorder(high_path));
    auto r = run_layers(s, *plan, writers, 2);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().where == high_path);
}

BOOST_AUTO_TEST_SUITE_END()
