#include <boost/test/unit_test.hpp>

#include <string>

#include "oci/config.hpp"
#include "oci/docker_archive.hpp"
#include "oci/json.hpp"
#include "oci/manifest.hpp"

using namespace tarsier;

BOOST_AUTO_TEST_SUITE(oci_json)

BOOST_AUTO_TEST_CASE(deep_nesting_is_refused_without_recursion) {
    std::string deep(100000, '[');
    auto d = oci::parse_json(deep, "x.json");
    BOOST_TEST_REQUIRE(!d.ok());
    BOOST_TEST(d.error().what.find("nested deeper") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(brackets_inside_strings_do_not_count_as_nesting) {
    std::string s = "{\"a\":\"" + std::string(1000, '[') + "\"}";
    BOOST_TEST(oci::parse_json(s, "x.json").ok());
}

BOOST_AUTO_TEST_CASE(trailing_garbage_and_truncation_are_errors_with_offsets) {
    auto t = oci::parse_json("{\"a\":1} x", "m.json");
    BOOST_TEST_REQUIRE(!t.ok());
    BOOST_TEST(t.error().what.find("byte 8") != std::string::npos);
    BOOST_TEST(!oci::parse_json("{\"a\":", "m.json").ok());
}

BOOST_AUTO_TEST_CASE(duplicate_keys_resolve_to_the_last_like_go) {
    auto d = oci::parse_json("{\"os\":\"windows\",\"os\":\"linux\"}", "c");
    BOOST_TEST_REQUIRE(d.ok());
    auto os = oci::opt_string((*d)->doc, "os", "");
    BOOST_TEST(**os == "linux");
}

BOOST_AUTO_TEST_CASE(wrong_types_name_the_json_pointer) {
    auto d = oci::parse_json("{\"config\":{\"Env\":[\"A=1\",7]}}", "c");
    auto c = oci::parse_config((*d)->doc);
    BOOST_TEST_REQUIRE(!c.ok());
    BOOST_TEST(c.error().where == "/config/Env/1");
    BOOST_TEST(c.error().what == "expected a string, found a number");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(oci_documents)

BOOST_AUTO_TEST_CASE(manifest_json_null_is_malformed) {
    auto d = oci::parse_json("null", "manifest.json");
    auto m = oci::parse_docker_manifest((*d)->doc);
    BOOST_TEST_REQUIRE(!m.ok());
    BOOST_TEST(m.error().what == "is null: it lists no images");
}

BOOST_AUTO_TEST_CASE(manifest_json_entry_with_layer_sources) {
    auto d = oci::parse_json(R"([{"Config":"c.json","RepoTags":null,"Layers":["a/layer.tar"],
        "LayerSources":{"sha256:aa":{"mediaType":"m","digest":"sha256:bb","size":5}}}])",
                             "manifest.json");
    auto m = oci::parse_docker_manifest((*d)->doc);
    BOOST_TEST_REQUIRE(m.ok());
    BOOST_TEST(m->size() == 1u);
    BOOST_TEST((*m)[0].repo_tags.empty());
    BOOST_TEST((*m)[0].layer_sources.at("sha256:aa").size == 5);
}

BOOST_AUTO_TEST_CASE(index_with_null_manifests_reads_as_empty) {
    auto d = oci::parse_json(R"({"schemaVersion":2,"manifests":null})", "index.json");
    auto x = oci::parse_index((*d)->doc);
    BOOST_TEST_REQUIRE(x.ok());
    BOOST_TEST(x->manifests.empty());
}

BOOST_AUTO_TEST_CASE(negative_descriptor_size_is_malformed) {
    auto d = oci::parse_json(R"({"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:a","size":-1}]})", "i");
    auto x = oci::parse_index((*d)->doc);
    BOOST_TEST_REQUIRE(!x.ok());
    BOOST_TEST(x.error().where == "/manifests/0/size");
}

BOOST_AUTO_TEST_CASE(documents_are_classified_by_media_type_then_fields) {
    auto classify = [](const char* text) {
        auto d = oci::parse_json(text, "x");
        return oci::classify((*d)->doc);
    };
    BOOST_TEST((classify(R"({"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[]})") ==
                oci::DocumentKind::index));
    BOOST_TEST((classify(R"({"schemaVersion":2,"manifests":[]})") == oci::DocumentKind::index));
    BOOST_TEST((classify(R"({"schemaVersion":2,"config":{},"layers":[]})") == oci::DocumentKind::manifest));
    BOOST_TEST((classify(R"({"schemaVersion":1,"fsLayers":[]})") == oci::DocumentKind::schema1));
}

BOOST_AUTO_TEST_CASE(config_reads_history_and_rejects_unknown_rootfs_type) {
    auto d = oci::parse_json(R"({"architecture":"arm64","os":"linux","config":{"Cmd":"sh","Env":["A=1"]},
        "rootfs":{"type":"layers","diff_ids":["sha256:x"]},
        "history":[{"created_by":"a","empty_layer":true},{"created_by":"b"}]})",
                             "c");
    auto c = oci::parse_config((*d)->doc);
    BOOST_TEST_REQUIRE(c.ok());
    BOOST_TEST(c->config.cmd->at(0) == "sh");  // a string Cmd is accepted as Docker does
    BOOST_TEST(c->history.size() == 2u);
    BOOST_TEST(c->history[0].empty_layer);
    auto bad = oci::parse_json(R"({"rootfs":{"type":"other"}})", "c");
    BOOST_TEST(!oci::parse_config((*bad)->doc).ok());
}

BOOST_AUTO_TEST_CASE(config_reads_every_docker_field) {
    auto d = oci::parse_json(R"({"os":"windows","os.features":["win32k"],"docker_version":"27.0.1",
        "container":"abc","parent":"sha256:p","config":{"ArgsEscaped":true,"Shell":["cmd","/S"],
        "OnBuild":["RUN x"],"StopTimeout":20,"Hostname":"h","Domainname":"d","Image":"sha256:i",
        "MacAddress":"m","Tty":true,"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":30000000000,
        "Timeout":1,"StartPeriod":2,"StartInterval":3,"Retries":4}},"container_config":{"Cmd":["/bin/sh"]}})",
                             "c");
    auto c = oci::parse_config((*d)->doc);
    BOOST_TEST_REQUIRE(c.ok());
    BOOST_TEST((c->os_features == std::vector<std::string>{"win32k"}));
    BOOST_TEST((c->docker_version == "27.0.1" && c->container == "abc" && c->parent == "sha256:p"));
    const auto& rc = c->config;
    BOOST_TEST((rc.args_escaped && rc.tty && !rc.attach_stdin));
    BOOST_TEST((*rc.shell == std::vector<std::string>{"cmd", "/S"}));
    BOOST_TEST((rc.on_build == std::vector<std::string>{"RUN x"}));
    BOOST_TEST(*rc.stop_timeout == 20);
    BOOST_TEST((rc.hostname == "h" && rc.domainname == "d" && rc.image == "sha256:i" && rc.mac_address == "m"));
    BOOST_TEST_REQUIRE(rc.healthcheck.has_value());
    BOOST_TEST((*rc.healthcheck == oci::Healthcheck{std::vector<std::string>{"CMD-SHELL", "true"}, 30000000000, 1, 2, 3, 4}));
    BOOST_TEST(c->has_container_config);
    BOOST_TEST(c->container_config.cmd->at(0) == "/bin/sh");
    auto bad = oci::parse_json(R"({"config":{"Healthcheck":{"Retries":"3"}}})", "c");
    auto e = oci::parse_config((*bad)->doc);
    BOOST_TEST_REQUIRE(!e.ok());
    BOOST_TEST(e.error().where == "/config/Healthcheck/Retries");
}

BOOST_AUTO_TEST_CASE(rfc3339_times_parse_to_unix_seconds) {
    // Values from `date -u -d ... +%s`.
    BOOST_TEST(oci::parse_rfc3339("2023-11-14T22:13:20Z")->seconds == 1700000000);
    BOOST_TEST(oci::parse_rfc3339("2023-11-14T23:13:20+01:00")->seconds == 1700000000);
    BOOST_TEST(oci::parse_rfc3339("1970-01-01T00:00:00.5Z")->nanos == 500000000);
    BOOST_TEST(oci::parse_rfc3339("1969-12-31T23:59:59Z")->seconds == -1);
    BOOST_TEST(!oci::parse_rfc3339("2023-11-14 22:13").has_value());
    BOOST_TEST(!oci::parse_rfc3339("").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
