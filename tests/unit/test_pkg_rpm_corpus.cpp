// The rpm database readers on the real databases of ../shared/corpus/pkgdb, compared as
// sets with the listings rpm 4.18 printed for them (expected.tsv, expected-extra.tsv,
// expected-files.tsv; see each folder's README.md), and the same databases damaged.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "pkg/inventory.hpp"
#include <rapidjson/document.h>

#include "util/strings.hpp"
#include "run_command.hpp"
#include "xorshift.hpp"

using namespace tarsier;

namespace {

const std::string kCorpus = TARSIER_SOURCE_ROOT "/../shared/corpus/pkgdb/";

using Parser = util::Result<std::vector<pkg::Package>> (*)(std::string_view, std::string_view,
                                                           std::vector<pkg::Problem>&);

struct Database {
    const char* folder;
    const char* path;  // inside root/
    Parser parse;
};

const Database kSqliteMariner{"rpm-sqlite-cbl-mariner-2.0", "var/lib/rpm/rpmdb.sqlite", pkg::parse_rpm_sqlite};
const Database kSqliteAmazon{"rpm-sqlite-amazonlinux-2023", "var/lib/rpm/rpmdb.sqlite", pkg::parse_rpm_sqlite};
const Database kNdbSle{"rpm-ndb-sle15-bci", "var/lib/rpm/Packages.db", pkg::parse_rpm_ndb};
const Database kBdbRhel{"rpm-bdb-rhel8-libuuid", "var/lib/rpm/Packages", pkg::parse_rpm_bdb};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot open " << path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The rows of a tsv file, sorted (the files are compared as sets).
std::vector<std::string> rows(const std::string& path) {
    std::vector<std::string> out;
    std::istringstream in(slurp(path));
    for (std::string line; std::getline(in, line);) out.push_back(line);
    std::sort(out.begin(), out.end());
    return out;
}

std::string none(const std::string& s) { return s.empty() ? "(none)" : s; }

std::string join(std::initializer_list<std::string> fields) {
    std::string out;
    for (const auto& f : fields) {
        if (!out.empty()) out += '\t';
        out += f;
    }
    return out;
}

// rpm's %{=NEVRA}: name-[epoch:]version-release.arch.
std::string nevra(const pkg::Package& p) {
    std::string s = p.name + "-" + (p.epoch ? std::to_string(*p.epoch) + ":" : "") + p.version;
    if (!p.arch.empty()) s += "." + p.arch;
    return s;
}

// `got` (any order) and `want` (sorted) hold the same rows.
void check_same(std::vector<std::string> got, const std::vector<std::string>& want, const std::string& what) {
    std::sort(got.begin(), got.end());
    std::vector<std::string> missing, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(missing));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
    BOOST_TEST(got.size() == want.size(), what << ": " << got.size() << " rows, rpm printed " << want.size());
    for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 5); ++i)
        BOOST_ERROR(what << ": missing " << missing[i]);
    for (std::size_t i = 0; i < std::min<std::size_t>(extra.size(), 5); ++i) BOOST_ERROR(what << ": extra " << extra[i]);
}

std::vector<pkg::Package> read_database(const Database& db) {
    const std::string bytes = slurp(kCorpus + db.folder + "/root/" + db.path);
    std::vector<pkg::Problem> problems;
    auto packages = db.parse(bytes, db.path, problems);
    BOOST_REQUIRE_MESSAGE(packages.ok(), (packages.ok() ? std::string() : packages.error().to_string()));
    for (const auto& p : problems) BOOST_ERROR("problem: " << p.to_string());
    return *packages;
}

// A listing's rows, each split at tabs into `fields` fields and made into a row to compare.
template <typename ToRow>
std::vector<std::string> listing(const std::string& path, std::size_t fields, ToRow to_row) {
    std::vector<std::string> out;
    for (const auto& r : rows(path)) {
        const auto f = util::split(r, '\t');
        BOOST_REQUIRE_EQUAL(f.size(), fields);
        out.push_back(to_row(f));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string epoch(const pkg::Package& p) { return p.epoch ? std::to_string(*p.epoch) : "(none)"; }

// Every field of the three listings that the model holds: NAME, EPOCH, VERSION-RELEASE,
// ARCH, SOURCERPM, LICENSE; SIZE, VENDOR, MODULARITYLABEL; each file's NEVRA, path and
// whether its mode is a directory. (SIGMD5, INSTALLTIME and FILEFLAGS are not in the
// model.)
void check_database(const Database& db) {
    const auto packages = read_database(db);
    const std::string dir = kCorpus + db.folder + "/";
    using Fields = std::vector<std::string>;

    std::vector<std::string> got;
    for (const auto& p : packages) {
        BOOST_TEST((p.ecosystem == pkg::Ecosystem::rpm));
        BOOST_TEST(p.db_file == db.path);
        got.push_back(join({p.name, epoch(p), p.version, none(p.arch), none(p.source_rpm), none(p.license)}));
        // The source name and version are SOURCERPM's parts.
        if (p.source_rpm.size() > 8 && p.source_rpm.substr(p.source_rpm.size() - 8) == ".src.rpm")
            BOOST_TEST(p.source_name + "-" + p.source_version + ".src.rpm" == p.source_rpm);
        else
            BOOST_TEST((p.source_name.empty() && p.source_version.empty()), p.name << ": " << p.source_rpm);
    }
    check_same(got, listing(dir + "expected.tsv", 7, [](const Fields& f) {
                   return join({f[0], f[1], f[2] + "-" + f[3], f[4], f[5], f[6]});
               }), std::string(db.folder) + "/expected.tsv");

    got.clear();
    for (const auto& p : packages)
        got.push_back(join({p.name, epoch(p), p.version, none(p.arch),
                            p.installed_size ? std::to_string(*p.installed_size) : "(none)", none(p.vendor),
                            none(p.modularity_label)}));
    check_same(got, listing(dir + "expected-extra.tsv", 10, [](const Fields& f) {
                   return join({f[0], f[1], f[2] + "-" + f[3], f[4], f[5], f[6], f[7]});
               }), std::string(db.folder) + "/expected-extra.tsv");

    got.clear();
    for (const auto& p : packages)
        for (const auto& file : p.files) got.push_back(join({nevra(p), "/" + std::string(file.path), file.directory ? "dir" : "-"}));
    check_same(got, listing(dir + "expected-files.tsv", 4, [](const Fields& f) {
                   const unsigned long mode = std::stoul(f[3], nullptr, 8);
                   return join({f[0], f[1], (mode & 0170000) == 0040000 ? "dir" : "-"});
               }), std::string(db.folder) + "/expected-files.tsv");
}

// The database cut short and with bytes flipped (fixed seeds): every outcome is packages,
// problems or an error, each naming the file; the sanitizer builds catch any overread.
void check_damaged(const Database& db, int rounds) {
    const std::string bytes = slurp(kCorpus + db.folder + "/root/" + db.path);
    test::XorShift rng(0x5eed + bytes.size());
    auto check = [&](std::string_view input, const std::string& what) {
        std::vector<pkg::Problem> problems;
        auto packages = db.parse(input, db.path, problems);
        if (!packages.ok()) {
            BOOST_TEST(packages.error().file == db.path, what);
            BOOST_TEST(!packages.error().where.empty(), what << ": " << packages.error().to_string());
        }
        for (const auto& p : problems) {
            BOOST_TEST(p.file == db.path, what);
            BOOST_TEST(!p.where.empty(), what << ": " << p.to_string());
        }
        return packages.ok() ? packages->size() : 0;
    };
    for (int i = 0; i < rounds; ++i) {
        const std::size_t cut = rng.next(bytes.size());
        check(std::string_view(bytes).substr(0, cut), "cut at " + std::to_string(cut));
        std::string flipped = bytes;
        for (int k = 0; k < 8; ++k) flipped[rng.next(flipped.size())] ^= static_cast<char>(1 + rng.next(255));
        check(flipped, "round " + std::to_string(i) + " of flips");
    }
}

std::string json_string(const rapidjson::Value& v, const char* key) {
    BOOST_REQUIRE(v.HasMember(key) && v[key].IsString());
    return v[key].GetString();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pkg_rpm_corpus)

// images/mariner-rpm: each layer carries an rpmdb.sqlite that rpm 4.18 rebuilt (its own
// page layout, not the go-rpmdb copies'); tar takes it out of the layer, and the packages
// must be what rpm listed for that layer (images/mariner-rpm.expected.json).
BOOST_AUTO_TEST_CASE(layers_of_the_mariner_rpm_image) {
    const std::string image = kCorpus + "images/mariner-rpm.docker.tar";
    rapidjson::Document expected;
    expected.Parse(slurp(kCorpus + "images/mariner-rpm.expected.json").c_str());
    BOOST_REQUIRE(expected.IsObject() && expected["layers"].IsArray());
    const auto [manifest_text, listed] = test::run_command("tar -xOf '" + image + "' manifest.json");
    BOOST_REQUIRE(listed);
    rapidjson::Document manifest;
    manifest.Parse(manifest_text.c_str());
    BOOST_REQUIRE(manifest.IsArray() && manifest[0]["Layers"].IsArray());
    const auto& layers = manifest[0]["Layers"];
    BOOST_REQUIRE_EQUAL(layers.Size(), expected["layers"].Size());

    for (rapidjson::SizeType i = 0; i < layers.Size(); ++i) {
        const auto [bytes, ok] = test::run_command("tar -xOf '" + image + "' '" + layers[i].GetString() +
                                                   "' | tar -xOf - var/lib/rpm/rpmdb.sqlite");
        BOOST_REQUIRE(ok);
        std::vector<pkg::Problem> problems;
        auto packages = pkg::parse_rpm_sqlite(bytes, "var/lib/rpm/rpmdb.sqlite", problems);
        BOOST_REQUIRE(packages.ok());
        BOOST_TEST(problems.empty());
        std::vector<std::string> got, want;
        for (const auto& p : *packages)
            got.push_back(join({p.name, epoch(p), p.full_version(), none(p.arch), none(p.source_rpm), none(p.license)}));
        // "version" there is rpm's %{EVR}: [epoch:]version-release.
        for (const auto& p : expected["layers"][i]["packages"].GetArray())
            want.push_back(join({json_string(p, "name"), json_string(p, "epoch"), json_string(p, "version"),
                                 json_string(p, "arch"), json_string(p, "sourcerpm"), json_string(p, "license")}));
        std::sort(want.begin(), want.end());
        check_same(got, want, "layer " + std::to_string(i));
    }
}

BOOST_AUTO_TEST_CASE(sqlite_cbl_mariner) { check_database(kSqliteMariner); }
BOOST_AUTO_TEST_CASE(sqlite_amazonlinux_2023) { check_database(kSqliteAmazon); }
BOOST_AUTO_TEST_CASE(ndb_sle15_bci) { check_database(kNdbSle); }
BOOST_AUTO_TEST_CASE(bdb_rhel8_libuuid) { check_database(kBdbRhel); }

BOOST_AUTO_TEST_CASE(damaged_sqlite) { check_damaged(kSqliteAmazon, 12); }
BOOST_AUTO_TEST_CASE(damaged_ndb) { check_damaged(kNdbSle, 40); }
BOOST_AUTO_TEST_CASE(damaged_bdb) { check_damaged(kBdbRhel, 200); }

// A truncated Berkeley DB still gives what its whole pages hold, and says where it ends.
BOOST_AUTO_TEST_CASE(truncated_bdb_names_the_page) {
    const std::string bytes = slurp(kCorpus + kBdbRhel.folder + "/root/" + kBdbRhel.path);
    std::vector<pkg::Problem> problems;
    auto packages = pkg::parse_rpm_bdb(std::string_view(bytes).substr(0, 4096 * 10 + 100), kBdbRhel.path, problems);
    BOOST_REQUIRE(packages.ok());
    BOOST_TEST(packages->empty());
    BOOST_REQUIRE_EQUAL(problems.size(), 2U);
    BOOST_TEST(problems[0].to_string() == "var/lib/rpm/Packages: page 10: the file ends before its last page 22");
    BOOST_TEST(problems[1].to_string() ==
               "var/lib/rpm/Packages: package number 1 (page 2: item 1): overflow page 10: outside the file's 10 pages, "
               "28490 of 80880 bytes read");
}

BOOST_AUTO_TEST_SUITE_END()
