// rpm's version ordering and the rpm fields the shared listings do not give (file
// digests and their algorithm, SUMMARY, PACKAGER), each checked against what rpm 4.18
// itself answers, run by the test.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pkg/inventory.hpp"
#include "pkg/version.hpp"
#include "util/strings.hpp"
#include "run_command.hpp"

using namespace tarsier;

namespace {

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// Pairs where rpmvercmp's rules bite: separators, leading zeros, letters against digits,
// "~" and "^" (rpm 4.18), epochs, absent releases.
const std::vector<std::pair<std::string, std::string>> kPairs = {
    {"1.0", "1.0"}, {"1.0", "2.0"}, {"2.0.1", "2.0"}, {"2.0.1a", "2.0.1"}, {"5.5p1", "5.5p2"},
    {"5.5p10", "5.5p1"}, {"10xyz", "10.1xyz"}, {"xyz10", "xyz10.1"}, {"xyz.4", "8"}, {"xyz.4", "2"},
    {"5.6p1", "6.5p1"}, {"6.0.rc1", "6.0"}, {"10b2", "10a1"}, {"1.0aa", "1.0a"}, {"10.0001", "10.0039"},
    {"4.999.9", "5.0"}, {"20101121", "20101122"}, {"2_0", "2_0"}, {"2.0", "2_0"}, {"a+", "a_"},
    {"+a", "_a"}, {"_+", "+_"}, {"1.0~rc1", "1.0"}, {"1.0~rc1", "1.0~rc2"}, {"1.0~rc1~git123", "1.0~rc1"},
    {"1.0^", "1.0"}, {"1.0^git1", "1.0"}, {"1.0^git1", "1.0^git2"}, {"1.0^git1", "1.01"},
    {"1.0^20160101", "1.0.1"}, {"1.0^20160101^git1", "1.0^20160101"}, {"1.0~rc1^git1", "1.0~rc1"},
    {"1.0^git1~pre", "1.0^git1"}, {"1.0^git1", "1.0~rc1"}, {"0001", "1"}, {"1.0-1", "1.0-2"},
    {"1:1.0-1", "2.0-1"}, {"0:1.0-1", "1.0-1"}, {"1.0-1", "1.0"}, {"1.0", "1.0-1"}, {"2:1.0", "1:2.0"},
    {":1.0-1", "0:1.0-1"}, {"1.0-1.el8", "1.0-1.el8_8"}, {"1.0-1.fc38", "1.0-1.fc38.1"},
    {"3.0.8-1.amzn2023.0.4", "1:3.0.8-1.amzn2023.0.4"}, {"1.2.3-4~beta", "1.2.3-4"}, {"a1", "1a"},
    {"1.a", "1.1"}, {"1.0a", "1.0.a"}, {"2.4.7-0.fc38", "2.4.10-1.fc38"}, {"1.0-1-2", "1.0-1-3"},
    {"1..0", "1.0"}, {"1.0.", "1.0"}, {"1.0~", "1.0"}, {"abc", "ABC"}, {"1.0.0", "1.0"},
    {"123456789012345678901234567890", "123456789012345678901234567891"}, {"1e10", "1e9"},
    {"10:0", "9:99"}, {"1.0-0.1.rc1", "1.0-1"}, {"1.0", "1.0a"}, {"1.0~a", "1.0~"}, {"1.0^a", "1.0^"},
    {"~1", "^1"}, {"1.0-~1", "1.0-1"}, {"007", "7"}, {"1.0-1", "1.0-01"}, {"0:0", "0"},
    {"2.34-2.cm2", "2.34-10.cm2"}, {"1.0", "1.0-0"}, {"1.0", "1.0-~"}, {"1.0-", "1.0"}, {"1:1.0", "1:1.0-1"},
    {"1:1.0", "1.0-1"}, {"1.0-1", "1.0.1"}, {"20220428-1.gitdfb10ea", "20220428-1.git9c9e8f1"},
};

std::string none(const std::string& s) { return s.empty() ? "(none)" : s; }

// RFC 4880's hash algorithm numbers, as rpm's FILEDIGESTALGO prints them.
std::string algorithm_name(const std::string& number) {
    static const std::map<std::string, std::string> names = {{"(none)", "md5"}, {"1", "md5"},   {"2", "sha1"},
                                                             {"8", "sha256"},   {"9", "sha384"}, {"10", "sha512"},
                                                             {"11", "sha224"}};
    const auto it = names.find(number);
    return it == names.end() ? "?" + number : it->second;
}

struct Database {
    const char* folder;
    const char* path;
    util::Result<std::vector<pkg::Package>> (*parse)(std::string_view, std::string_view, std::vector<pkg::Problem>&);
};

const std::string kCorpus = TARSIER_SOURCE_ROOT "/../shared/corpus/pkgdb/";

bool corpus_present() {
    struct stat st{};
    return ::stat(kCorpus.c_str(), &st) == 0;
}

// Asks rpm about a scratch copy of the database (rpm writes beside it) and compares.
void check_with_rpm(const Database& db) {
    const std::string source = kCorpus + db.folder + "/root/" + db.path;
    std::ifstream in(source, std::ios::binary);
    BOOST_REQUIRE(in);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};

    std::string scratch_template = (std::filesystem::temp_directory_path() / "tarsier-rpm-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(scratch_template.data()));
    const std::filesystem::path scratch = scratch_template;
    std::filesystem::copy_file(source, scratch / std::filesystem::path(db.path).filename());
    const auto [out, ok] = test::run_command("rpm --dbpath '" + scratch.string() +
                               "' -qa --qf 'P\\t%{=NEVRA}\\t%{SUMMARY}\\t%{PACKAGER}\\t%{FILEDIGESTALGO}\\n"
                               "[F\\t%{=NEVRA}\\t%{FILENAMES}\\t%{FILEDIGESTS}\\n]' 2>/dev/null");
    std::filesystem::remove_all(scratch);
    BOOST_REQUIRE(ok);

    std::vector<std::string> want, got;
    std::map<std::string, std::string> algo;  // NEVRA -> digest name
    const auto rpm_lines = lines(out);
    for (const auto& l : rpm_lines) {
        const auto f = util::split(l, '\t');
        if (f[0] == "P") {
            BOOST_REQUIRE_EQUAL(f.size(), 5U);
            algo[f[1]] = algorithm_name(f[4]);
            want.push_back("P\t" + f[1] + "\t" + f[2] + "\t" + f[3]);
        }
    }
    for (const auto& l : rpm_lines) {
        const auto f = util::split(l, '\t');
        if (f[0] == "F") {
            BOOST_REQUIRE_EQUAL(f.size(), 4U);
            want.push_back("F\t" + f[1] + "\t" + f[2] + "\t" + (f[3].empty() ? "" : algo[f[1]] + ":" + f[3]));
        }
    }

    std::vector<pkg::Problem> problems;
    auto packages = db.parse(bytes, db.path, problems);
    BOOST_REQUIRE(packages.ok());
    BOOST_TEST(problems.empty());
    for (const auto& p : *packages) {
        std::string nevra = p.name + "-" + (p.epoch ? std::to_string(*p.epoch) + ":" : "") + p.version;
        if (!p.arch.empty()) nevra += "." + p.arch;
        got.push_back("P\t" + nevra + "\t" + none(p.description) + "\t" + none(p.maintainer));
        for (const auto& f : p.files) got.push_back("F\t" + nevra + "\t/" + std::string(f.path) + "\t" + std::string(f.digest));
    }
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    BOOST_TEST(got.size() == want.size());
    std::vector<std::string> missing, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(missing));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
    for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 5); ++i) BOOST_ERROR("rpm has " << missing[i]);
    for (std::size_t i = 0; i < std::min<std::size_t>(extra.size(), 5); ++i) BOOST_ERROR("we have " << extra[i]);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pkg_rpm_tool)

// All pairs in one rpm run: E:V-R objects (rpm.ver) compare as rpm orders packages.
// (rpm's lua print() adds no newline.)
BOOST_AUTO_TEST_CASE(version_order_matches_rpm) {
    std::string lua;
    for (const auto& [a, b] : kPairs)
        lua += "local a, b = rpm.ver([[" + a + "]]), rpm.ver([[" + b + "]]) "
               "print((a == b and 0 or (a < b and -1 or 1)) .. \"\\n\") ";
    const auto [out, ok] = test::run_command("rpm --eval '%{lua: " + lua + "}'");
    BOOST_REQUIRE(ok);
    const auto answers = lines(out);
    BOOST_REQUIRE_GE(answers.size(), kPairs.size());
    for (std::size_t i = 0; i < kPairs.size(); ++i) {
        const auto& [a, b] = kPairs[i];
        const int want = std::stoi(answers[i]);
        BOOST_TEST(pkg::compare_rpm_versions(a, b) == want, a << " vs " << b);
        BOOST_TEST(pkg::compare_rpm_versions(b, a) == -want, b << " vs " << a);
    }
}

BOOST_AUTO_TEST_CASE(digests_summary_packager_sqlite_mariner,
                     *boost::unit_test::precondition([](auto) { return corpus_present(); })) {
    check_with_rpm({"rpm-sqlite-cbl-mariner-2.0", "var/lib/rpm/rpmdb.sqlite", pkg::parse_rpm_sqlite});
}
BOOST_AUTO_TEST_CASE(digests_summary_packager_sqlite_amazonlinux,
                     *boost::unit_test::precondition([](auto) { return corpus_present(); })) {
    check_with_rpm({"rpm-sqlite-amazonlinux-2023", "var/lib/rpm/rpmdb.sqlite", pkg::parse_rpm_sqlite});
}
BOOST_AUTO_TEST_CASE(digests_summary_packager_bdb_rhel8,
                     *boost::unit_test::precondition([](auto) { return corpus_present(); })) {
    check_with_rpm({"rpm-bdb-rhel8-libuuid", "var/lib/rpm/Packages", pkg::parse_rpm_bdb});
}

BOOST_AUTO_TEST_SUITE_END()
