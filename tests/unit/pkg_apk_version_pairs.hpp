#pragma once
// apk version pairs and their order, shared by the unit test (test_pkg_apk_version.cpp) and
// the check against apk-tools itself (test_pkg_corpus.cpp). The pairs and their order come
// from apk-tools' own test table, test/version.data (alpinelinux/apk-tools, GPL-2.0, commit
// 50ab589e9a5a84592ee4c0ac5a49506bb6c552fc; only pairs of valid versions are taken), from
// the rules its src/version.c states (suffix order _alpha < _beta < _pre < _rc < none <
// _cvs < _svn < _git < _hg < _p), and from upgrades apk made in ../shared/corpus/pkgdb.

namespace tarsier::testing {

struct Pair {
    const char* a;
    char op;  // '<', '=', '>'
    const char* b;
};

inline constexpr Pair kApkPairs[] = {
    // test/version.data
    {"2.34", '>', "0.1.0_alpha"}, {"0.1.0_alpha", '=', "0.1.0_alpha"}, {"0.1.0_alpha2", '>', "0.1.0_alpha"},
    {"1.0.4-r3", '<', "1.0.4-r4"}, {"1.1", '>', "1.1_alpha1"}, {"1.2.1", '>', "1.2"}, {"1.3_alpha", '<', "1.3_alpha2"},
    {"0.8_beta4", '<', "4.8-r1"}, {"2.3.0b-r1", '<', "2.3.0b-r2"}, {"0.12.3", '>', "0.12"}, {"0.12", '<', "0.13_beta1"},
    {"3.1_p16", '<', "3.1_p17"}, {"1.06-r6", '<', "006"}, {"1.2.2-r1", '>', "1.2.2"}, {"9.3.4-r2", '>', "9.3.4"},
    {"1.0.0", '<', "10-r1"}, {"1.2.12.1", '<', "1.2.13"}, {"2.59", '<', "20050718-r1"}, {"0.99.3.20040818", '>', "0.7"},
    {"2.01.01_alpha10", '>', "0.94"}, {"1.00_beta2", '>', "0.9.2"}, {"4.2.52_p2-r1", '<', "4.2.52_p4-r2"},
    {"1.02", '<', "1.03-r1"}, {"2.5.1-r8", '<', "2.5.1a-r1"}, {"2.0.0_rc3-r1", '>', "1.5"},
    {"3.9_pre20060124", '>', "0.01"}, {"0.10.0", '<', "0.10.1_rc1"}, {"1.1a", '<', "1.3a"},
    {"0.15.1b-r2", '>', "0.15.1b"}, {"1.5.0-r1", '>', "1.5.0"}, {"4.5_p1-r1", '>', "4.5_p1"},
    {"0.9.8c-r1", '<', "0.9.8d"}, {"1.7", '<', "1.7b"}, {"1.8.5", '<', "1.8.5_p2"},
    {"2.9.11_pre20051101-r3", '>', "2.9.11_pre20051101"}, {"2.9.11_pre20061021-r2", '<', "5.36-r1"},
    {"1.6.8_p12-r1", '>', "1.6.8_p9-r2"}, {"0.9.28-r2", '<', "0.9.28.1"}, {"1.3-r0", '<', "1.3.1-r0"},
    {"1.3_pre1-r1", '<', "1.3.2"}, {"1.0_p10-r0", '>', "1.0_p9-r0"}, {"0.1.0_alpha_pre2", '<', "0.1.0_alpha"},
    {"1.0.0_pre20191002222144-r0", '<', "1.0.0_pre20210530193627-r0"}, {"2.16.1-r3", '=', "2.16.1-r3"},
    {"1.0.1", '=', "1.0.1"}, {"20050405", '>', "1.8"}, {"3.0.20060720", '<', "20060720"},
    {"2.12r-r4", '<', "2.12r-r5"}, {"0.20070118", '<', "0.20070207_rc1"}, {"1.2.07.8", '<', "1.2.12.04"},
    // the suffix order of src/version.c
    {"1.1_alpha", '<', "1.1_beta"}, {"1.1_beta", '<', "1.1_pre"}, {"1.1_pre", '<', "1.1_rc"}, {"1.1_rc", '<', "1.1"},
    {"1.1", '<', "1.1_cvs"}, {"1.1_cvs", '<', "1.1_svn"}, {"1.1_svn", '<', "1.1_git"}, {"1.1_git", '<', "1.1_hg"},
    {"1.1_hg", '<', "1.1_p"}, {"1.1_rc9", '<', "1.1-r0"}, {"1.1", '<', "1.1-r1"}, {"1.1-r9", '<', "1.1-r10"},
    // leading zeros after a dot count first; a longer version is greater. So with a zero
    // component a pre-release suffix is not below the release in apk 2.x: "1.0_rc" > "1.0"
    // (apk-tools 2.10.4 says so, see test_pkg_corpus.cpp's oracle test).
    {"1.05", '<', "1.5"}, {"1.0", '>', "1"}, {"1.001", '<', "1.01"}, {"1.0_rc", '>', "1.0"}, {"1.0_rc1", '>', "1.0"},
    // upgrades apk made in the corpus (alpine 3.10 -> 3.11, and the alpine-apk image's zlib)
    {"1.1.22-r3", '<', "1.1.24-r2"}, {"1.2.11-r1", '<', "1.2.11-r3"}, {"1.30.1-r3", '<', "1.31.1-r9"},
    {"1.1.1d-r2", '<', "1.1.1d-r3"},
};

}  // namespace tarsier::testing
