// fs/diff: comparing two merged trees, two configs, two histories and two layer lists,
// and following one path through layers. Trees are built by applying hand-written layer
// indexes, the same way the CLI builds them from real layers.
#include <boost/test/unit_test.hpp>

#include <deque>

#include <memory>
#include <string>
#include <vector>

#include "fs/diff.hpp"
#include "index_entries.hpp"

using namespace tarsier;
using IndexEntry = archive::EntryData;  // hand-written, with its own strings
using archive::LayerIndex;
using fs::Aspect;
using fs::ChangeKind;
using test::dir;
using test::file;
using test::layer;
using test::symlink_entry;

namespace {

IndexEntry whiteout(const std::string& dir_path, const std::string& name) {
    return file(dir_path.empty() ? ".wh." + name : dir_path + "/.wh." + name, "empty", 0, 0);
}

fs::MergedTree tree(const std::vector<std::shared_ptr<const LayerIndex>>& layers) {
    fs::MergedTree t;
    for (std::size_t i = 0; i < layers.size(); ++i) t.apply(layers[i], i);
    return t;
}

/// fs::blame on a tree kept for the rest of the test run (the changes point into it).
std::vector<fs::PathChanges> blame(const std::vector<std::shared_ptr<const LayerIndex>>& layers, std::string_view path) {
    static std::deque<fs::MergedTree> trees;
    return fs::blame(layers, path, trees.emplace_back());
}

/// A tree of one layer, kept for the rest of the test run (differences point into it).
const fs::MergedTree& tree_of(std::vector<IndexEntry> entries) {
    static std::deque<fs::MergedTree> trees;
    return trees.emplace_back(tree({layer(std::move(entries))}));
}

/// The base every file test varies one thing of.
std::vector<IndexEntry> base() {
    return {dir("etc"), file("etc/conf", "1111"), symlink_entry("etc/link", "conf"), dir("bin"), file("bin/sh", "2222", 100, 0755)};
}

std::vector<IndexEntry> with(std::vector<IndexEntry> entries, const std::string& path, void (*edit)(IndexEntry&)) {
    for (auto& e : entries)
        if (e.path == path) edit(e);
    return entries;
}

/// The single difference of diff_trees, checked to be a change at `path`.
std::vector<Aspect> only_change(const std::vector<fs::FileDifference>& d, const std::string& path) {
    BOOST_REQUIRE_EQUAL(d.size(), 1U);
    BOOST_TEST(d[0].path == path);
    BOOST_TEST((d[0].kind == ChangeKind::changed));
    return d[0].aspects;
}

oci::ImageConfig config() {
    oci::ImageConfig c;
    c.os = "linux";
    c.architecture = "arm64";
    c.config.env = {"PATH=/usr/bin:/bin", "HOME=/root"};
    c.config.cmd = std::vector<std::string>{"sh"};
    c.config.labels = {{"a", "1"}, {"b", "2"}};
    c.config.exposed_ports = {"80/tcp"};
    return c;
}

std::vector<oci::HistoryEntry> history(const std::vector<std::string>& steps) {
    std::vector<oci::HistoryEntry> out;
    for (const auto& s : steps) out.push_back({"", s, "", "", false});
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fs_diff_trees)

BOOST_AUTO_TEST_CASE(identical_trees_have_no_differences) {
    BOOST_TEST(fs::diff_trees(tree_of(base()), tree_of(base()), {}).empty());
}

BOOST_AUTO_TEST_CASE(content_with_the_same_size_is_a_content_change_only) {
    auto changed = with(base(), "etc/conf", [](IndexEntry& e) { e.content = "xxh128:9999"; });
    auto d = fs::diff_trees(tree_of(base()), tree_of(changed), {});
    BOOST_TEST((only_change(d, "etc/conf") == std::vector<Aspect>{Aspect::content}));
    BOOST_REQUIRE(d[0].before && d[0].after);
    BOOST_TEST(d[0].before->content() == "xxh128:1111");
    BOOST_TEST(d[0].after->content() == "xxh128:9999");
}

BOOST_AUTO_TEST_CASE(mode_difference_and_ignore_mode) {
    auto changed = with(base(), "bin/sh", [](IndexEntry& e) { e.mode = 04755; });
    auto d = fs::diff_trees(tree_of(base()), tree_of(changed), {});
    BOOST_TEST((only_change(d, "bin/sh") == std::vector<Aspect>{Aspect::mode}));
    fs::FileDiffOptions o;
    o.ignore_mode = true;
    BOOST_TEST(fs::diff_trees(tree_of(base()), tree_of(changed), o).empty());
}

BOOST_AUTO_TEST_CASE(file_type_bits_in_the_mode_field_are_no_difference) {
    auto typed = with(base(), "etc/conf", [](IndexEntry& e) { e.mode = 0100644; });
    BOOST_TEST(fs::diff_trees(tree_of(base()), tree_of(typed), {}).empty());
}

BOOST_AUTO_TEST_CASE(owner_difference_and_ignore_owner) {
    auto changed = with(base(), "etc/conf", [](IndexEntry& e) { e.gid = 1000; });
    auto d = fs::diff_trees(tree_of(base()), tree_of(changed), {});
    BOOST_TEST((only_change(d, "etc/conf") == std::vector<Aspect>{Aspect::owner}));
    fs::FileDiffOptions o;
    o.ignore_owner = true;
    BOOST_TEST(fs::diff_trees(tree_of(base()), tree_of(changed), o).empty());
}

BOOST_AUTO_TEST_CASE(symlink_target_difference) {
    auto changed = with(base(), "etc/link", [](IndexEntry& e) { e.link = "../bin/sh"; });
    auto d = fs::diff_trees(tree_of(base()), tree_of(changed), {});
    BOOST_TEST((only_change(d, "etc/link") == std::vector<Aspect>{Aspect::link}));
}

BOOST_AUTO_TEST_CASE(mtime_difference_and_ignore_timestamps) {
    auto changed = with(base(), "etc", [](IndexEntry& e) { e.mtime += 60; });
    auto d = fs::diff_trees(tree_of(base()), tree_of(changed), {});
    BOOST_TEST((only_change(d, "etc") == std::vector<Aspect>{Aspect::mtime}));
    fs::FileDiffOptions o;
    o.ignore_timestamps = true;
    BOOST_TEST(fs::diff_trees(tree_of(base()), tree_of(changed), o).empty());
}

BOOST_AUTO_TEST_CASE(device_numbers_are_compared_for_devices) {
    IndexEntry null;
    null.path = "dev/null";
    null.type = '3';
    null.mode = 0666;
    null.dev_major = 1;
    null.dev_minor = 3;
    IndexEntry zero = null;
    zero.dev_minor = 5;
    auto d = fs::diff_trees(tree_of({null}), tree_of({zero}), {});
    BOOST_TEST((only_change(d, "dev/null") == std::vector<Aspect>{Aspect::device}));
}

BOOST_AUTO_TEST_CASE(every_differing_aspect_is_listed_in_order) {
    auto changed = with(base(), "etc/conf", [](IndexEntry& e) {
        e.content = "xxh128:abcdef";
        e.size = 6;
        e.mode = 0600;
        e.uid = 1;
        e.mtime = 1;
    });
    auto d = fs::diff_trees(tree_of(base()), tree_of(changed), {});
    BOOST_TEST((only_change(d, "etc/conf") ==
                std::vector<Aspect>{Aspect::content, Aspect::size, Aspect::mode, Aspect::owner, Aspect::mtime}));
}

BOOST_AUTO_TEST_CASE(a_file_replaced_by_a_directory_is_a_type_change_and_its_children_are_added) {
    auto entries = base();
    std::erase_if(entries, [](const IndexEntry& e) { return e.path == "etc/conf"; });
    entries.push_back(dir("etc/conf"));
    entries.push_back(file("etc/conf/a", "aaaa"));
    auto d = fs::diff_trees(tree_of(base()), tree_of(entries), {});
    BOOST_REQUIRE_EQUAL(d.size(), 2U);
    BOOST_TEST(d[0].path == "etc/conf");
    BOOST_TEST((d[0].aspects.front() == Aspect::type));
    BOOST_TEST(d[1].path == "etc/conf/a");
    BOOST_TEST((d[1].kind == ChangeKind::added));
}

BOOST_AUTO_TEST_CASE(added_and_removed_subtrees_are_listed_path_by_path_sorted) {
    auto old_entries = base();
    old_entries.push_back(dir("opt"));
    old_entries.push_back(file("opt/x", "xxxx"));
    auto new_entries = base();
    new_entries.push_back(dir("srv"));
    new_entries.push_back(file("srv/b", "bbbb"));
    new_entries.push_back(file("srv/a", "aaaa"));
    auto d = fs::diff_trees(tree_of(old_entries), tree_of(new_entries), {});
    std::vector<std::pair<ChangeKind, std::string>> got;
    for (const auto& f : d) got.emplace_back(f.kind, f.path);
    std::vector<std::pair<ChangeKind, std::string>> want = {{ChangeKind::deleted, "opt"},
                                                            {ChangeKind::deleted, "opt/x"},
                                                            {ChangeKind::added, "srv"},
                                                            {ChangeKind::added, "srv/a"},
                                                            {ChangeKind::added, "srv/b"}};
    BOOST_TEST((got == want));
    BOOST_TEST(d[0].after == nullptr);
    BOOST_TEST(d[3].before == nullptr);
}

BOOST_AUTO_TEST_CASE(the_top_filesystem_is_compared_after_whiteouts) {
    // Old: the base alone. New: the base plus a layer that deletes etc/conf and re-adds it
    // unchanged, and a layer that deletes bin. Only bin and bin/sh differ.
    auto old_tree = tree({layer(base())});
    auto new_tree = tree({layer(base()), layer({whiteout("etc", "conf"), file("etc/conf", "1111")}), layer({whiteout("", "bin")})});
    auto d = fs::diff_trees(old_tree, new_tree, {});
    BOOST_REQUIRE_EQUAL(d.size(), 2U);
    BOOST_TEST(d[0].path == "bin");
    BOOST_TEST(d[1].path == "bin/sh");
    BOOST_TEST((d[0].kind == ChangeKind::deleted && d[1].kind == ChangeKind::deleted));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fs_diff_configs)

BOOST_AUTO_TEST_CASE(equal_configs_and_env_order) {
    auto b = config();
    auto a = config();
    std::swap(a.config.env[0], a.config.env[1]);
    BOOST_TEST(fs::diff_configs(b, a).empty());
}

BOOST_AUTO_TEST_CASE(env_is_compared_per_variable_with_the_last_definition_winning) {
    auto b = config();
    auto a = config();
    a.config.env = {"PATH=/bin", "HOME=/root", "HOME=/home/u", "LANG=C"};
    auto d = fs::diff_configs(b, a);
    BOOST_REQUIRE_EQUAL(d.size(), 3U);
    BOOST_TEST(d[0].field == "Env");
    BOOST_TEST(d[0].key == "HOME");
    BOOST_TEST((d[0].kind() == ChangeKind::changed));
    BOOST_TEST((*d[0].after == std::vector<std::string>{"/home/u"}));
    BOOST_TEST(d[1].key == "LANG");
    BOOST_TEST((d[1].kind() == ChangeKind::added));
    BOOST_TEST(d[2].key == "PATH");
    BOOST_TEST((*d[2].before == std::vector<std::string>{"/usr/bin:/bin"}));
}

BOOST_AUTO_TEST_CASE(an_absent_cmd_differs_from_an_empty_one) {
    auto b = config();
    auto a = config();
    b.config.cmd.reset();
    a.config.cmd = std::vector<std::string>{};
    auto d = fs::diff_configs(b, a);
    BOOST_REQUIRE_EQUAL(d.size(), 1U);
    BOOST_TEST(d[0].field == "Cmd");
    BOOST_TEST((d[0].shape == fs::ValueShape::list));
    BOOST_TEST((d[0].kind() == ChangeKind::added));
}

BOOST_AUTO_TEST_CASE(fields_in_documented_order) {
    auto b = config();
    auto a = config();
    a.config.entrypoint = std::vector<std::string>{"/init"};
    a.config.user = "1000";
    a.config.working_dir = "/app";
    a.config.labels.erase("a");
    a.config.exposed_ports = {"443/tcp"};
    a.config.volumes = {"/data"};
    a.config.stop_signal = "SIGINT";
    a.architecture = "amd64";
    a.variant = "v2";
    auto d = fs::diff_configs(b, a);
    std::vector<std::string> fields;
    for (const auto& c : d) fields.push_back(c.field + "/" + c.key);
    std::vector<std::string> want = {"Entrypoint/", "User/", "WorkingDir/", "Labels/a", "ExposedPorts/443/tcp",
                                     "ExposedPorts/80/tcp", "Volumes//data", "StopSignal/", "architecture/", "variant/"};
    BOOST_TEST(fields == want, boost::test_tools::per_element());
    BOOST_TEST((d[4].kind() == ChangeKind::added && d[5].kind() == ChangeKind::deleted));
    BOOST_TEST((d[4].shape == fs::ValueShape::member));
    BOOST_TEST((d[1].kind() == ChangeKind::added));  // an empty User is the default, shown as absent
}

BOOST_AUTO_TEST_CASE(healthcheck_docker_fields_and_container_config) {
    auto b = config();
    auto a = config();
    b.config.healthcheck = oci::Healthcheck{std::vector<std::string>{"CMD", "true"}, 30'000'000'000, 0, 0, 0, 3};
    a.config.healthcheck = oci::Healthcheck{std::vector<std::string>{"CMD", "true"}, 10'000'000'000, 5'000'000'000, 0, 0, 3};
    a.config.args_escaped = true;
    a.config.stop_timeout = 20;
    a.config.hostname = "h";
    a.os_features = {"win32k"};
    a.docker_version = "27.0.1";
    a.container_config.cmd = std::vector<std::string>{"/bin/sh"};
    auto d = fs::diff_configs(b, a);
    std::vector<std::string> fields;
    for (const auto& c : d) fields.push_back(c.field + "/" + c.key);
    std::vector<std::string> want = {"ArgsEscaped/",     "Healthcheck.Interval/", "Healthcheck.Timeout/", "StopTimeout/",
                                     "Hostname/",        "os.features/win32k",    "docker_version/",      "container_config.Cmd/"};
    BOOST_TEST(fields == want, boost::test_tools::per_element());
    BOOST_TEST((d[0].shape == fs::ValueShape::boolean && *d[0].before == std::vector<std::string>{"false"}));
    BOOST_TEST((d[1].shape == fs::ValueShape::duration && *d[1].after == std::vector<std::string>{"10000000000"}));
    BOOST_TEST((d[2].kind() == ChangeKind::added));  // a zero duration is an absent one
    BOOST_TEST((d[3].shape == fs::ValueShape::number));
}

BOOST_AUTO_TEST_CASE(ignored_fields_and_groups) {
    auto b = config();
    auto a = config();
    a.config.labels["new"] = "1";
    a.config.healthcheck = oci::Healthcheck{std::vector<std::string>{"NONE"}, 0, 0, 0, 0, 0};
    a.created = "2025-01-01T00:00:00Z";
    a.container_config.labels["x"] = "y";
    auto fields = [&](const std::vector<std::string>& ignored) {
        std::vector<std::string> out;
        for (const auto& c : fs::diff_configs(b, a, ignored)) out.push_back(c.field);
        return out;
    };
    using V = std::vector<std::string>;
    BOOST_TEST((fields({}) == V{"Labels", "Healthcheck.Test", "created", "container_config.Labels"}));
    BOOST_TEST((fields({"labels", "Config.Healthcheck"}) == V{"created", "container_config.Labels"}));
    BOOST_TEST((fields({"config"}) == V{"created", "container_config.Labels"}));
    BOOST_TEST((fields({"Healthcheck.Test", "created", "container_config"}) == V{"Labels"}));
    BOOST_TEST(fs::is_config_field("Config.Healthcheck"));
    BOOST_TEST(fs::is_config_field("container_config.Healthcheck.Retries"));
    BOOST_TEST(fs::is_config_field("os.version"));
    BOOST_TEST(!fs::is_config_field("Labelz"));
    BOOST_TEST(!fs::is_config_field("history"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fs_diff_history_and_layers)

BOOST_AUTO_TEST_CASE(equal_histories) {
    BOOST_TEST(fs::diff_histories(history({"a", "b"}), history({"a", "b"})).empty());
}

BOOST_AUTO_TEST_CASE(an_inserted_step_is_one_addition) {
    auto d = fs::diff_histories(history({"FROM", "RUN a", "CMD"}), history({"FROM", "RUN a", "RUN b", "CMD"}));
    BOOST_REQUIRE_EQUAL(d.size(), 1U);
    BOOST_TEST((d[0].kind == ChangeKind::added));
    BOOST_TEST(d[0].position == 2U);
    BOOST_TEST(d[0].created_by == "RUN b");
}

BOOST_AUTO_TEST_CASE(a_replaced_step_is_a_removal_then_an_addition) {
    auto d = fs::diff_histories(history({"FROM", "RUN a", "CMD"}), history({"FROM", "RUN z", "CMD", "LABEL"}));
    BOOST_REQUIRE_EQUAL(d.size(), 3U);
    BOOST_TEST((d[0].kind == ChangeKind::deleted && d[0].position == 1U && d[0].created_by == "RUN a"));
    BOOST_TEST((d[1].kind == ChangeKind::added && d[1].position == 1U && d[1].created_by == "RUN z"));
    BOOST_TEST((d[2].kind == ChangeKind::added && d[2].position == 3U && d[2].created_by == "LABEL"));
}

BOOST_AUTO_TEST_CASE(paired_steps_compare_created_author_comment_and_empty_layer) {
    auto b = history({"FROM", "RUN a", "CMD"});
    auto a = history({"FROM", "RUN x", "RUN a", "CMD"});
    b[1].created = "2024-01-01T00:00:00Z";
    a[2].created = "2025-01-01T00:00:00Z";
    a[3].empty_layer = !b[2].empty_layer;
    auto d = fs::diff_histories(b, a);
    BOOST_REQUIRE_EQUAL(d.size(), 3U);
    BOOST_TEST((d[0].kind == ChangeKind::added && d[0].position == 1U));
    BOOST_TEST((d[1].kind == ChangeKind::changed && d[1].position == 2U && *d[1].old_position == 1U));
    BOOST_TEST(d[1].fields.at(0).field == "created");
    BOOST_TEST((d[2].kind == ChangeKind::changed && d[2].fields.at(0).field == "empty_layer"));
    auto ignoring = fs::diff_histories(b, a, true);
    BOOST_REQUIRE_EQUAL(ignoring.size(), 2U);
    BOOST_TEST(ignoring[1].fields.at(0).field == "empty_layer");
}

BOOST_AUTO_TEST_CASE(layers_shared_and_only_in_one) {
    auto c = fs::compare_layers({"sha256:a", "sha256:b", "sha256:c"}, {"sha256:a", "sha256:b", "sha256:d"});
    BOOST_TEST(!c.equal);
    BOOST_TEST(c.common_base == 2U);
    BOOST_REQUIRE_EQUAL(c.layers.size(), 4U);
    BOOST_TEST((c.layers[2].diff_id == "sha256:c" && c.layers[2].before == 2U && !c.layers[2].after));
    BOOST_TEST((c.layers[3].diff_id == "sha256:d" && !c.layers[3].before && c.layers[3].after == 2U));
}

BOOST_AUTO_TEST_CASE(repeated_layers_pair_occurrence_by_occurrence_and_order_matters) {
    auto c = fs::compare_layers({"e", "x", "e"}, {"x", "e"});
    BOOST_TEST(!c.equal);
    BOOST_TEST(c.common_base == 0U);
    BOOST_REQUIRE_EQUAL(c.layers.size(), 3U);
    BOOST_TEST((c.layers[0].before == 0U && c.layers[0].after == 1U));
    BOOST_TEST((c.layers[1].before == 1U && c.layers[1].after == 0U));
    BOOST_TEST((c.layers[2].before == 2U && !c.layers[2].after));
    BOOST_TEST(fs::compare_layers({"a"}, {"a"}).equal);
}

BOOST_AUTO_TEST_CASE(diff_images_leaves_out_what_is_ignored) {
    const auto& t = tree_of(base());
    auto b = config();
    auto a = config();
    a.config.user = "nobody";
    a.history = history({"RUN x"});
    a.diff_ids = {"sha256:x"};
    fs::ImageDiffOptions o;
    auto all = fs::diff_images({&t, &b}, {&t, &a}, o);
    BOOST_TEST(all.differ());
    BOOST_TEST(all.config.size() == 1U);
    BOOST_TEST(all.history.size() == 1U);
    BOOST_TEST(!all.layers.equal);
    o.ignore_config = o.ignore_history = o.ignore_layers = true;
    auto none = fs::diff_images({&t, &b}, {&t, &a}, o);
    BOOST_TEST(!none.differ());
    BOOST_TEST(none.layers.layers.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fs_diff_blame)

BOOST_AUTO_TEST_CASE(every_layer_that_touched_the_path_in_order) {
    std::vector<std::shared_ptr<const LayerIndex>> layers = {
        layer({dir("etc"), file("etc/conf", "1111"), file("etc/other", "oooo")}),  // 0: adds it
        layer({file("etc/other", "pppp")}),                                        // 1: not it
        layer({file("etc/conf", "2222")}),                                         // 2: changes it
        layer({whiteout("", "etc")}),                                              // 3: deletes its parent
        layer({whiteout("", "etc")}),                                              // 4: a no-op now
        layer({dir("etc"), file("etc/conf", "3333")}),                             // 5: adds it again
    };
    auto b = blame(layers, "/etc/conf");
    std::vector<std::size_t> positions;
    for (const auto& p : b) positions.push_back(p.layer);
    BOOST_TEST(positions == (std::vector<std::size_t>{0, 2, 3, 5}), boost::test_tools::per_element());
    BOOST_TEST((b[0].changes.size() == 1U && b[0].changes[0].kind == ChangeKind::added));
    BOOST_TEST((b[1].changes[0].kind == ChangeKind::changed));
    BOOST_TEST((b[2].changes[0].kind == ChangeKind::deleted && b[2].changes[0].path() == "etc"));
    BOOST_TEST(b[3].changes.size() == 1U);  // the re-added parent directory is not the path
}

BOOST_AUTO_TEST_CASE(a_directory_collects_the_changes_below_it) {
    std::vector<std::shared_ptr<const LayerIndex>> layers = {
        layer({dir("etc"), file("etc/a", "aaaa"), dir("var")}),
        layer({file("etc/b", "bbbb"), file("var/x", "xxxx")}),
    };
    auto b = blame(layers, "etc");
    BOOST_REQUIRE_EQUAL(b.size(), 2U);
    BOOST_TEST(b[0].changes.size() == 2U);
    BOOST_REQUIRE_EQUAL(b[1].changes.size(), 1U);
    BOOST_TEST(b[1].changes[0].path() == "etc/b");
    BOOST_TEST(blame(layers, "/").size() == 2U);
    BOOST_TEST(blame(layers, "/nothing").empty());
    BOOST_TEST(blame(layers, "/et").empty());  // a name prefix is not a parent
}

BOOST_AUTO_TEST_CASE(an_ancestor_replaced_by_a_file_removes_the_path) {
    std::vector<std::shared_ptr<const LayerIndex>> layers = {
        layer({dir("opt"), dir("opt/app"), file("opt/app/bin", "1111")}),
        layer({symlink_entry("opt/app", "/usr/lib/app")}),
    };
    auto b = blame(layers, "/opt/app/bin");
    BOOST_REQUIRE_EQUAL(b.size(), 2U);
    BOOST_TEST(b[1].changes[0].path() == "opt/app");
}

BOOST_AUTO_TEST_CASE(an_ancestor_change_does_not_touch_a_path_that_was_never_there) {
    std::vector<std::shared_ptr<const LayerIndex>> layers = {
        layer({dir("opt"), file("opt/x", "xxxx")}),
        layer({whiteout("", "opt")}),
    };
    BOOST_TEST(blame(layers, "/opt/y").empty());
    BOOST_TEST(blame(layers, "/opt/x").size() == 2U);
}

BOOST_AUTO_TEST_CASE(an_opaque_directory_deletes_the_lower_path) {
    std::vector<std::shared_ptr<const LayerIndex>> layers = {
        layer({dir("data"), file("data/old", "oooo")}),
        layer({dir("data"), file("data/.wh..wh..opq", "", 0, 0), file("data/new", "nnnn")}),
    };
    auto b = blame(layers, "/data/old");
    BOOST_REQUIRE_EQUAL(b.size(), 2U);
    BOOST_TEST((b[1].changes[0].kind == ChangeKind::deleted && b[1].changes[0].path() == "data/old"));
}

BOOST_AUTO_TEST_SUITE_END()
