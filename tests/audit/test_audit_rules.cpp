// The audit rules fed from memory: the name matchers, the symlink walk, and audit() on
// layer indexes built here (whiteouts of directories, opaque directories, rewrites with
// the same content, hardlinks into lower layers, look-alikes that must not be reported).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>

#include "audit/audit.hpp"
#include "audit/entry_rules.hpp"
#include "audit/secret_names.hpp"

using namespace tarsier;

namespace {

archive::EntryData entry(std::string path, char type = '0', std::uint32_t mode = 0644, std::string content = "",
                         std::string link = "") {
    archive::EntryData e;
    e.path = std::move(path);
    e.type = type;
    e.mode = mode;
    e.content = content.empty() && type == '0' ? "xxh128:" + e.path : content;
    e.link = std::move(link);
    return e;
}

std::shared_ptr<const archive::LayerIndex> layer(const std::vector<archive::EntryData>& entries,
                                                 std::vector<std::string> escaping = {}) {
    auto l = std::make_shared<archive::LayerIndex>();
    for (const auto& e : entries) l->add(e);
    l->escaping_names = std::move(escaping);
    return l;
}

/// "rule layer where" of each finding ("config" for no layer), sorted.
std::vector<std::string> keys(const audit::Report& r) {
    std::vector<std::string> out;
    for (const auto& f : r.findings)
        out.push_back(f.rule + " " + (f.layer ? std::to_string(*f.layer) : "config") + " " + (f.layer ? f.path : f.config_key));
    std::sort(out.begin(), out.end());
    return out;
}

audit::Report run(const std::vector<std::shared_ptr<const archive::LayerIndex>>& layers, std::string user = "1000") {
    std::vector<image::LayerId> infos(layers.size());
    for (std::size_t i = 0; i < infos.size(); ++i) infos[i].position = i;
    oci::RunConfig config;
    config.user = std::move(user);
    return audit::audit(infos, layers, &config);
}

}  // namespace

BOOST_AUTO_TEST_CASE(secret_env_names) {
    for (const char* n : {"DB_PASSWORD", "API_TOKEN", "API_KEY", "ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN",
                          "MYSQL_ROOT_PASSWD", "client_secret", "NPM_AUTHTOKEN", "STRIPE_APIKEY", "GOOGLE_CREDENTIALS"})
        BOOST_TEST(audit::is_secret_env_name(n), n);
    for (const char* n : {"KEYBOARD_LAYOUT", "PATH", "GPG_KEY", "PGP_KEY", "PUBLIC_KEY", "TOKENIZERS_PARALLELISM",
                          "POSTGRES_PASSWORD_FILE", "HOME", "LANG", "MONKEY", "KEYRING_DIR", "PYTHON_VERSION"})
        BOOST_TEST(!audit::is_secret_env_name(n), n);
}

BOOST_AUTO_TEST_CASE(secret_file_names) {
    for (const char* p : {"root/.ssh/id_rsa", "home/a/.ssh/id_ed25519", "etc/ssh/ssh_host_rsa_key", "app/.env",
                          "app/.env.production", "srv/tls/server.key", "srv/tls/private.pem", "root/.npmrc", "root/.netrc",
                          "root/.aws/credentials", "root/.docker/config.json", "app/credentials.json", "a/store.p12"})
        BOOST_TEST(audit::is_secret_file_name(p), p);
    for (const char* p : {"root/.ssh/id_rsa.pub", "etc/ssh/ssh_host_rsa_key.pub", "app/.env.example", "etc/ssl/certs/x.pem",
                          "usr/lib/python3/certifi/cacert.pem", "usr/lib/botocore/credentials.py", "app/config.json",
                          "etc/docker/config.json.bak", "usr/share/ca-certificates/mozilla/a.pem", "app/environment"})
        BOOST_TEST(!audit::is_secret_file_name(p), p);
}

BOOST_AUTO_TEST_CASE(root_users) {
    for (const char* u : {"", "0", "root", "0:0", "root:root", "0:1000"}) BOOST_TEST(audit::runs_as_root(u), u);
    for (const char* u : {"1000", "app", "1000:0", "nobody:nogroup", "rooty"}) BOOST_TEST(!audit::runs_as_root(u), u);
}

BOOST_AUTO_TEST_CASE(symlink_walk) {
    BOOST_TEST(audit::symlink_escapes_root("usr/lib/x", "../../../etc/shadow"));
    BOOST_TEST(!audit::symlink_escapes_root("usr/lib/x", "../../etc/shadow"));
    BOOST_TEST(!audit::symlink_escapes_root("usr/lib/x", "/etc/shadow"));
    BOOST_TEST(audit::symlink_escapes_root("usr/lib/x", "/../etc/shadow"));
    BOOST_TEST(audit::symlink_escapes_root("x", ".."));
    BOOST_TEST(!audit::symlink_escapes_root("a/x", "b/../../y"));
    BOOST_TEST(audit::symlink_escapes_root("a/x", "b/../../../y"));
    BOOST_TEST(!audit::symlink_escapes_root("a/x", "./././y"));
}

BOOST_AUTO_TEST_CASE(whited_out_directory_reports_each_file_below) {
    auto l0 = layer({entry("root", '5', 0700), entry("root/.ssh", '5', 0700), entry("root/.ssh/id_ed25519", '0', 0600),
                     entry("root/.ssh/known_hosts")});
    auto l1 = layer({entry("root", '5', 0700), entry("root/.wh..ssh")});
    auto r = run({l0, l1});
    std::vector<std::string> want = {"deleted-file-shipped 0 /root/.ssh/known_hosts",
                             "deleted-secret-shipped 0 /root/.ssh/id_ed25519"};
    BOOST_TEST(keys(r) == want, boost::test_tools::per_element());
    BOOST_TEST(audit::to_string(r.findings.front().severity) == "critical");
}

BOOST_AUTO_TEST_CASE(opaque_directory_and_same_content_rewrite) {
    auto l0 = layer({entry("app", '5'), entry("app/.npmrc"), entry("app/keep", '0', 0644, "xxh128:same")});
    // Layer 1 makes app/ opaque and writes app/keep again with the same content.
    auto l1 = layer({entry("app", '5'), entry("app/.wh..wh..opq"), entry("app/keep", '0', 0644, "xxh128:same")});
    auto r = run({l0, l1});
    std::vector<std::string> want = {"deleted-secret-shipped 0 /app/.npmrc"};
    BOOST_TEST(keys(r) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(file_over_directory_deletes_its_files) {
    auto l0 = layer({entry("d", '5'), entry("d/a"), entry("d/sub", '5'), entry("d/sub/.env")});
    auto l1 = layer({entry("d")});
    auto r = run({l0, l1});
    std::vector<std::string> want = {"deleted-file-shipped 0 /d/a", "deleted-secret-shipped 0 /d/sub/.env"};
    BOOST_TEST(keys(r) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(whiteout_then_recreate_deletes_what_was_below) {
    // Layer 1 whites out d/ and writes it again: what d/ held below is gone, although d/
    // itself is a change, not a deletion.
    auto l0 = layer({entry("d", '5'), entry("d/k"), entry("d/sub", '5'), entry("d/sub/z")});
    auto l1 = layer({entry(".wh.d"), entry("d", '5'), entry("d/n")});
    auto r = run({l0, l1});
    std::vector<std::string> want = {"deleted-file-shipped 0 /d/k", "deleted-file-shipped 0 /d/sub/z"};
    BOOST_TEST(keys(r) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(path_added_over_an_implicit_directory) {
    // a/y has no entry for its directory a/. Layer 1 adds a/ (nothing was there, so nothing
    // below it goes), then writes a again as a file, which removes a/y: an added path that
    // removed entries.
    auto l0 = layer({entry("a/y")});
    auto l1 = layer({entry("a", '5'), entry("a")});
    auto r = run({l0, l1});
    std::vector<std::string> want = {"deleted-file-shipped 0 /a/y"};
    BOOST_TEST(keys(r) == want, boost::test_tools::per_element());
    // Added alone, a/ leaves a/y where it was.
    auto kept = run({l0, layer({entry("a", '5'), entry("b")})});
    BOOST_TEST(keys(kept).empty());
}

BOOST_AUTO_TEST_CASE(look_alikes_are_not_findings) {
    auto l0 = layer({entry("tmp", '5', 01777), entry("var", '5'), entry("var/mail", '5', 02775), entry("bin", '5'),
                     entry("bin/tool", '0', 0755), entry("bin/link", '2', 0777, "", "tool"),
                     entry("bin/abs", '2', 0777, "", "/bin/tool"), entry("bin/up", '2', 0777, "", "../bin/tool")});
    auto l1 = layer({entry("bin", '5'), entry("bin/tool2", '1', 0755, "", "bin/tool"), entry("bin/tool3", '1', 0755, "", "bin/tool2")});
    auto r = run({l0, l1});
    BOOST_TEST(r.findings.empty());
    // A directory repeated unchanged by a later layer is reported once, at the first.
    auto w0 = layer({entry("shared", '5', 0777)});
    auto w1 = layer({entry("shared", '5', 0777), entry("shared/x", '0', 0644)});
    auto rw = run({w0, w1});
    std::vector<std::string> want = {"world-writable-dir 0 /shared"};
    BOOST_TEST(keys(rw) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(links_and_names_out_of_the_root) {
    auto l0 = layer({entry("a", '5'), entry("a/s", '2', 0777, "", "../../x"), entry("a/h", '1', 0644, "", "../../etc/passwd"),
                     entry("a/m", '1', 0644, "", "a/none")},
                    {"../../evil"});
    auto r = run({l0}, "root:root");
    std::vector<std::string> want = {"escaping-name 0 ../../evil",
                             "hardlink-escapes-root 0 /a/h",
                             "hardlink-missing-target 0 /a/m",
                             "runs-as-root config User",
                             "symlink-escapes-root 0 /a/s"};
    BOOST_TEST(keys(r) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(env_values_never_in_findings) {
    oci::RunConfig config;
    config.user = "1000";
    config.env = {"DB_PASSWORD=hunter2", "API_KEY=", "EMPTY_TOKEN", "KEYBOARD_LAYOUT=us", "DB_PASSWORD=again"};
    auto r = audit::audit({}, {}, &config);
    BOOST_TEST_REQUIRE(r.findings.size() == 1u);  // empty values and repeats are not findings
    BOOST_TEST(r.findings[0].config_key == "Env/DB_PASSWORD");
    BOOST_TEST(r.findings[0].detail.find("hunter2") == std::string::npos);
    BOOST_TEST(audit::to_string(r.findings[0].severity) == "high");
}

BOOST_AUTO_TEST_CASE(severities_and_order) {
    BOOST_TEST(audit::to_string(audit::parse_severity("high").value()) == "high");
    BOOST_TEST(!audit::parse_severity("HIGH"));
    for (const auto& rule : audit::rules()) BOOST_TEST(audit::find_rule(rule.id) == &rule);
    std::vector<audit::Finding> f(4);
    f[0] = {"x", audit::Severity::low, 0, "/b", "", ""};
    f[1] = {"x", audit::Severity::high, std::nullopt, "", "User", ""};
    f[2] = {"x", audit::Severity::high, 1, "/a", "", ""};
    f[3] = {"x", audit::Severity::low, 0, "/a", "", ""};
    audit::sort_findings(f);
    BOOST_TEST(f[0].path == "/a");
    BOOST_TEST(f[1].config_key == "User");  // configuration after the layers
    BOOST_TEST(f[2].path == "/a");
    BOOST_TEST(f[3].path == "/b");
}
