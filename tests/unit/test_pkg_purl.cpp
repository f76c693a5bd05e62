#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include <rapidjson/document.h>

#include "pkg/license.hpp"
#include "pkg/purl.hpp"

using namespace tarsier::pkg;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string str(const rapidjson::Value& v) { return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : ""; }

}  // namespace

BOOST_AUTO_TEST_SUITE(pkg_purl)

// Every `build` case of purl-spec's own test suite for the types tarsier writes (and
// `generic`, whose cases exercise the percent-encoding of qualifier values).
BOOST_AUTO_TEST_CASE(builds_purl_spec_test_suite) {
    int checked = 0;
    for (const char* type : {"deb", "rpm", "apk", "generic"}) {
        std::string path = std::string(TARSIER_SOURCE_ROOT) + "/tests/sbom/purl/" + type + "-test.json";
        rapidjson::Document d;
        d.Parse(slurp(path).c_str());
        BOOST_REQUIRE_MESSAGE(!d.HasParseError() && d.HasMember("tests"), path);
        for (const auto& t : d["tests"].GetArray()) {
            if (str(t["test_type"]) != "build" || (t.HasMember("expected_failure") && t["expected_failure"].IsTrue())) continue;
            const auto& in = t["input"];
            Purl p;
            p.type = str(in["type"]);
            p.namespace_ = str(in["namespace"]);
            p.name = str(in["name"]);
            p.version = str(in["version"]);
            if (in["qualifiers"].IsObject()) {
                for (const auto& q : in["qualifiers"].GetObject()) p.qualifiers[q.name.GetString()] = str(q.value);
            }
            BOOST_CHECK_EQUAL(p.to_string(), str(t["expected_output"]));
            ++checked;
        }
    }
    BOOST_CHECK_GE(checked, 10);
}

BOOST_AUTO_TEST_CASE(purl_of_installed_packages) {
    OsRelease debian{.id = "debian", .version_id = "12", .file = "etc/os-release"};
    Package curl{.ecosystem = Ecosystem::deb, .name = "curl", .version = "7.88.1-10+deb12u5", .arch = "amd64",
                 .source_name = "curl", .source_version = "7.88.1-10+deb12u5"};
    // The example of the packages issue, as syft and trivy spell it too.
    BOOST_CHECK_EQUAL(purl_of(curl, debian).to_string(),
                      "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12");
    Package bsdutils{.ecosystem = Ecosystem::deb, .name = "bsdutils", .version = "1:2.38.1-5+b1", .arch = "amd64",
                     .source_name = "util-linux", .source_version = "2.38.1-5"};
    BOOST_CHECK_EQUAL(purl_of(bsdutils, debian).to_string(),
                      "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5");
    OsRelease fedora{.id = "fedora", .version_id = "40", .file = "etc/os-release"};
    Package centerim{.ecosystem = Ecosystem::rpm, .name = "centerim", .version = "4.22.10-1.el6", .epoch = 1,
                     .arch = "i686", .source_rpm = "centerim-4.22.10-1.el6.src.rpm"};
    BOOST_CHECK_EQUAL(purl_of(centerim, fedora).to_string(),
                      "pkg:rpm/fedora/centerim@4.22.10-1.el6?arch=i686&distro=fedora-40&epoch=1"
                      "&upstream=centerim-4.22.10-1.el6.src.rpm");
    OsRelease none;
    Package busybox{.ecosystem = Ecosystem::apk, .name = "busybox", .version = "1.30.1-r3", .arch = "x86_64",
                    .source_name = "busybox"};
    BOOST_CHECK_EQUAL(purl_of(busybox, none).to_string(), "pkg:apk/alpine/busybox@1.30.1-r3?arch=x86_64");
}

BOOST_AUTO_TEST_CASE(license_forms) {
    BOOST_CHECK(license_form("") == LicenseForm::none);
    BOOST_CHECK(license_form("MIT") == LicenseForm::spdx_id);
    BOOST_CHECK(license_form("GPL-2.0-or-later") == LicenseForm::spdx_id);
    BOOST_CHECK(license_form("MIT AND BSD-2-Clause") == LicenseForm::expression);
    BOOST_CHECK(license_form("(MIT OR Apache-2.0) AND Zlib") == LicenseForm::expression);
    BOOST_CHECK(license_form("GPL-2.0+") == LicenseForm::expression);
    BOOST_CHECK(license_form("GPL-2.0-or-later WITH Classpath-exception-2.0") == LicenseForm::expression);
    BOOST_CHECK(license_form("LicenseRef-Foo") == LicenseForm::expression);
    BOOST_CHECK(license_form("GPLv2+") == LicenseForm::text);
    BOOST_CHECK(license_form("MIT BSD") == LicenseForm::text);
    BOOST_CHECK(license_form("Public Domain") == LicenseForm::text);
    BOOST_CHECK(license_form("(MIT") == LicenseForm::text);
    BOOST_CHECK(license_form("MIT AND") == LicenseForm::text);
    BOOST_CHECK(license_form("MIT WITH MIT-License") == LicenseForm::text);
    BOOST_CHECK(license_form(std::string(100000, '(')) == LicenseForm::text);
    BOOST_CHECK(is_spdx_id("0BSD") && is_spdx_id("Zlib") && !is_spdx_id("zlib"));
}

BOOST_AUTO_TEST_SUITE_END()
