// fs/tree and fs/waste: the OCI layer changeset rules (docs FORMATS.md section 5,
// image-spec layer.md) applied by MergedTree, and the wasted-space numbers of
// compute_waste. Layers are hand-written LayerIndex values, the same shape the layer
// scanner produces (normalised paths, tar type flags, content digests of files).
#include <boost/test/unit_test.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fs/tree.hpp"
#include "fs/waste.hpp"
#include "index_entries.hpp"
#include "xorshift.hpp"

using namespace tarsier;
using IndexEntry = archive::EntryData;  // hand-written, with its own strings
using archive::LayerIndex;
using fs::ChangeKind;
using test::dir;
using test::file;
using test::hardlink;
using test::layer;
using test::symlink_entry;

namespace {

IndexEntry char_device(std::string path, std::uint32_t major, std::uint32_t minor) {
    IndexEntry e;
    e.path = std::move(path);
    e.type = '3';
    e.mode = 0644;
    e.dev_major = major;
    e.dev_minor = minor;
    return e;
}

/// A whiteout as writers store it: an empty regular file, mode 0, named `.wh.<name>`.
IndexEntry whiteout(const std::string& path) {
    IndexEntry e = file(path, "e3b0c44298fc1c14", 0, 0);
    e.mtime = 0;
    return e;
}

/// The node at `path` (the test fails when there is none).
const fs::Node& at(const fs::MergedTree& t, const std::string& path) {
    const fs::Node* n = t.find(path);
    BOOST_REQUIRE_MESSAGE(n, "no node at " + path);
    return *n;
}

std::vector<std::string> paths(const fs::MergedTree& t) {
    std::vector<std::string> out;
    for (const auto& n : t.nodes()) out.emplace_back(n.path());
    return out;
}

/// "A path", "C path", "D path" for each change, in the order apply() returns them.
std::vector<std::string> summary(const fs::LayerChanges& c) {
    std::vector<std::string> out;
    for (const auto& ch : c.changes) out.push_back(std::string(1, fs::change_letter(ch.kind)) + " " + std::string(ch.path()));
    return out;
}

std::vector<std::string> notes(const fs::LayerChanges& c) {
    std::vector<std::string> out;
    for (const auto& n : c.notes) out.push_back(n.code + " " + n.path);
    return out;
}

const fs::Change* change_at(const fs::LayerChanges& c, const std::string& path) {
    for (const auto& ch : c.changes)
        if (ch.path() == path) return &ch;
    return nullptr;
}

using Paths = std::vector<std::string>;

// Three layers, sizes in bytes (directories weigh 0, whiteouts are empty files):
//   layer 0: etc/ etc/a=100 etc/b=50 var/ opt/ opt/x=10 opt/y=20    regular files: 180
//   layer 1: etc/ etc/a=120 etc/.wh.b                                regular files: 120
//   layer 2: etc/a=30 .wh.opt                                        regular files:  30
// total_size = 180 + 120 + 30 = 330; user_size (without the base) = 150.
// Per path (only leaves of each layer count; etc/ and opt/ have children in layer 0):
//   etc/a  copies 100, 120, 30   cumulative 250  min 30  count 3  last 30
//   etc/b  copies 50, 0 (wh)     cumulative  50  min  0  count 2  last 0
//   var    0                     cumulative   0  min  0  count 1
//   opt/x  10, opt/y 20          count 1 each
//   opt    whiteout of a directory weighs what it held: 10 + 20 = 30, count 1
// minimum = 30 + 0 + 0 + 10 + 20 + 30 = 90; discovered = 250 + 50 + 0 + 10 + 20 + 30 = 360
// efficiency = 90 / 360 = 0.25.
// Wasted, default (every copy but the one the final image shows):
//   etc/a 250 - 30 = 220, etc/b 50 - 0 = 50; total 270; fraction 270 / 150 = 1.8.
// Wasted, dive-compatible (every copy): etc/a 250, etc/b 50; total 300; fraction 2.0.
std::vector<std::shared_ptr<const LayerIndex>> waste_layers() {
    return {
        layer({dir("etc"), file("etc/a", "a0", 100), file("etc/b", "b0", 50), dir("var"), dir("opt"),
                file("opt/x", "x0", 10), file("opt/y", "y0", 20)}),
        layer({dir("etc"), file("etc/a", "a1", 120), whiteout("etc/.wh.b")}),
        layer({file("etc/a", "a2", 30), whiteout(".wh.opt")}),
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fs_tree)

BOOST_AUTO_TEST_CASE(file_whiteout_deletes_the_lower_file) {
    fs::MergedTree t;
    t.apply(layer({dir("a"), file("a/x", "1111", 7), file("a/y", "2222")}), 0);
    auto c = t.apply(layer({whiteout("a/.wh.x")}), 1);
    BOOST_TEST(paths(t) == (Paths{"a", "a/y"}));
    BOOST_TEST(summary(c) == (Paths{"D a/x"}));
    BOOST_REQUIRE(c.changes[0].before());
    BOOST_TEST(c.changes[0].before()->content() == "xxh128:1111");
    BOOST_TEST(c.changes[0].bytes() == 7U);
    BOOST_TEST(!c.changes[0].after);
    BOOST_TEST(c.notes.empty());
}

BOOST_AUTO_TEST_CASE(directory_whiteout_deletes_the_whole_subtree_as_one_change) {
    fs::MergedTree t;
    t.apply(layer({dir("d"), file("d/f", "1111", 10), dir("d/s"), file("d/s/g", "2222", 5), file("dx", "3333", 1)}), 0);
    auto c = t.apply(layer({whiteout(".wh.d")}), 1);
    BOOST_TEST(paths(t) == (Paths{"dx"}));  // "dx" shares the prefix "d" but is not below d/
    BOOST_TEST(summary(c) == (Paths{"D d"}));
    BOOST_TEST(c.changes[0].bytes() == 15U);
}

BOOST_AUTO_TEST_CASE(whiteout_of_a_missing_path_is_a_no_op) {
    fs::MergedTree t;
    t.apply(layer({dir("a"), file("a/x", "1111")}), 0);
    auto c = t.apply(layer({whiteout("a/.wh.never"), whiteout(".wh.nowhere"), whiteout("no/such/.wh.dir")}), 1);
    BOOST_TEST(paths(t) == (Paths{"a", "a/x"}));
    BOOST_TEST(c.changes.empty());
    BOOST_TEST(c.notes.empty());
}

BOOST_AUTO_TEST_CASE(path_and_its_whiteout_in_one_layer_leave_the_path_visible) {
    // "Files that are present in the same layer as a whiteout file can only be hidden by
    // whiteout files in subsequent layers", whatever the order in the tar.
    for (bool whiteout_first : {false, true}) {
        fs::MergedTree t;
        t.apply(layer({dir("s"), file("s/old", "0000")}), 0);
        std::vector<IndexEntry> l1 = {file("s/x", "1111"), whiteout("s/.wh.x")};
        if (whiteout_first) std::swap(l1[0], l1[1]);
        auto c = t.apply(layer(l1), 1);
        BOOST_TEST(paths(t) == (Paths{"s", "s/old", "s/x"}));
        BOOST_TEST(summary(c) == (Paths{"A s/x"}));
    }
}

BOOST_AUTO_TEST_CASE(lower_path_whited_out_and_rewritten_in_one_layer_is_changed) {
    fs::MergedTree t;
    t.apply(layer({dir("s"), file("s/x", "0000")}), 0);
    auto c = t.apply(layer({file("s/x", "1111"), whiteout("s/.wh.x")}), 1);
    BOOST_TEST(paths(t) == (Paths{"s", "s/x"}));
    BOOST_TEST(at(t, "s/x").entry->content() == "xxh128:1111");
    BOOST_TEST(at(t, "s/x").layer == 1U);
    BOOST_TEST(summary(c) == (Paths{"C s/x"}));
}

BOOST_AUTO_TEST_CASE(opaque_whiteout_hides_lower_children_and_keeps_the_layers_own) {
    fs::MergedTree t;
    t.apply(layer({dir("o"), file("o/old", "1111", 3), dir("o/sub"), file("o/sub/deep", "2222", 4), file("keep", "3333")}), 0);
    // The marker comes after the layer's own child: it still applies "first".
    auto c = t.apply(layer({dir("o", 0700), file("o/new", "4444"), whiteout("o/.wh..wh..opq")}), 1);
    BOOST_TEST(paths(t) == (Paths{"keep", "o", "o/new"}));
    BOOST_TEST(at(t, "o").entry->mode == 0700U);  // the directory stays, with this layer's attributes
    BOOST_TEST(summary(c) == (Paths{"C o", "A o/new", "D o/old", "D o/sub"}));
    BOOST_TEST(change_at(c, "o/sub")->bytes() == 4U);
}

BOOST_AUTO_TEST_CASE(opaque_whiteout_at_the_root_hides_every_lower_path) {
    fs::MergedTree t;
    t.apply(layer({dir("a"), file("a/x", "1111"), file("b", "2222")}), 0);
    auto c = t.apply(layer({whiteout(".wh..wh..opq"), file("fresh", "3333")}), 1);
    BOOST_TEST(paths(t) == (Paths{"fresh"}));
    BOOST_TEST(summary(c) == (Paths{"D a", "D b", "A fresh"}));
}

BOOST_AUTO_TEST_CASE(file_replacing_a_directory_deletes_its_subtree) {
    fs::MergedTree t;
    t.apply(layer({dir("s"), file("s/a", "1111"), dir("s/in"), file("s/in/b", "2222"), file("s.txt", "3333")}), 0);
    auto c = t.apply(layer({file("s", "9999", 11)}), 1);  // no whiteouts at all
    BOOST_TEST(paths(t) == (Paths{"s", "s.txt"}));
    BOOST_TEST(at(t, "s").entry->type == '0');
    BOOST_TEST(summary(c) == (Paths{"C s"}));
    BOOST_TEST(c.changes[0].before()->type == '5');
    // s/a, s/in and s/in/b went with it: 4 + 0 + 4 bytes.
    BOOST_TEST(c.changes[0].removed_entries == 3u);
    BOOST_TEST(c.changes[0].removed_bytes() == 8u);
}

// Links that each add 60 KB to where the next entry lands: an entry's landing path would
// pass the 1 MiB an index entry holds after 18 of them, so it stays where its name says.
BOOST_AUTO_TEST_CASE(links_that_expand_a_path_beyond_an_entry_are_a_note) {
    fs::MergedTree t;
    std::string name = "s0";
    std::vector<IndexEntry> entries;
    for (int k = 0; k < 20; ++k) {
        // One 60 KB component (under the 64 KiB name limit).
        entries.push_back(symlink_entry(name, std::to_string(k) + std::string(60000, 'x')));
        name += "/s";
        name += std::to_string(k + 1);
    }
    auto c = t.apply(layer(entries), 0);
    std::size_t longest = 0;
    for (const auto& n : t.nodes()) longest = std::max(longest, n.path().size());
    BOOST_TEST(longest <= archive::IndexEntry::kMaxPath);
    BOOST_TEST(longest > 900000u);  // the links did expand until then
    BOOST_REQUIRE(!c.notes.empty());
    BOOST_TEST(c.notes[0].code == "symlink-loop");
    BOOST_TEST(t.find(c.notes[0].path) != nullptr);  // kept under its own name
}

BOOST_AUTO_TEST_CASE(symlink_loop_in_a_parent_is_a_note_and_the_entry_stays_where_named) {
    fs::MergedTree t;
    t.apply(layer({symlink_entry("a", "b"), symlink_entry("b", "a")}), 0);
    auto c = t.apply(layer({file("a/x", "1111")}), 1);
    BOOST_TEST(t.find("a/x") != nullptr);
    BOOST_REQUIRE(c.notes.size() == 1u);
    BOOST_TEST(c.notes[0].code == "symlink-loop");
}

BOOST_AUTO_TEST_CASE(symlinks_never_climb_above_the_root) {
    fs::MergedTree t;
    t.apply(layer({symlink_entry("up", "../../.."), symlink_entry("abs", "/etc"), dir("etc")}), 0);
    t.apply(layer({file("up/x", "1111"), file("abs/y", "2222")}), 1);
    BOOST_TEST(t.find("x") != nullptr);
    BOOST_TEST(t.find("etc/y") != nullptr);
    BOOST_TEST(t.find("up/x") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_deep_chain_of_directories_resolves_in_linear_time) {
    fs::MergedTree t;
    std::vector<IndexEntry> l;
    l.push_back(symlink_entry("lib", "usr/lib"));  // a symlink in the tree: resolution is on
    std::string d;
    for (int i = 0; i < 5000; ++i) {
        d += (d.empty() ? "" : "/") + std::string("d");
        l.push_back(dir(d));
    }
    t.apply(layer(l), 0);
    BOOST_TEST(t.nodes().size() == 5001u);
    BOOST_TEST(t.nodes().count(d) == 1u);
}

BOOST_AUTO_TEST_CASE(symlink_replacing_a_directory_deletes_its_subtree) {
    fs::MergedTree t;
    t.apply(layer({dir("d"), file("d/f", "1111"), dir("lib"), file("lib/x", "2222")}), 0);
    t.apply(layer({symlink_entry("lib", "d")}), 1);
    BOOST_TEST(paths(t) == (Paths{"d", "d/f", "lib"}));
    BOOST_TEST(at(t, "lib").entry->link() == "d");
}

BOOST_AUTO_TEST_CASE(directory_over_directory_keeps_children) {
    fs::MergedTree t;
    t.apply(layer({dir("d"), file("d/f", "1111"), dir("d/s"), file("d/s/g", "2222")}), 0);
    auto c = t.apply(layer({dir("d", 0750), file("d/h", "3333")}), 1);
    BOOST_TEST(paths(t) == (Paths{"d", "d/f", "d/h", "d/s", "d/s/g"}));
    BOOST_TEST(at(t, "d").entry->mode == 0750U);
    BOOST_TEST(at(t, "d").layer == 1U);
    BOOST_TEST(summary(c) == (Paths{"C d", "A d/h"}));
}

BOOST_AUTO_TEST_CASE(unchanged_directory_entry_is_no_change) {
    fs::MergedTree t;
    t.apply(layer({dir("d"), file("d/f", "1111")}), 0);
    auto same = dir("d");
    same.mtime = 1800000000;  // mtime alone is not a change of a directory
    auto c = t.apply(layer({same, file("d/g", "2222")}), 1);
    BOOST_TEST(summary(c) == (Paths{"A d/g"}));
}

BOOST_AUTO_TEST_CASE(duplicate_entries_last_wins_with_a_note) {
    fs::MergedTree t;
    auto c = t.apply(layer({file("dup", "1111", 4), file("other", "2222"), file("dup", "3333", 18)}), 0);
    BOOST_TEST(paths(t) == (Paths{"dup", "other"}));
    BOOST_TEST(at(t, "dup").entry->content() == "xxh128:3333");
    BOOST_TEST(at(t, "dup").entry->size == 18U);
    BOOST_TEST(notes(c) == (Paths{"duplicate-entry dup"}));
    BOOST_TEST(summary(c) == (Paths{"A dup", "A other"}));
    BOOST_TEST(change_at(c, "dup")->bytes() == 18U);
}

BOOST_AUTO_TEST_CASE(aufs_plnk_and_metadata_are_not_files) {
    fs::MergedTree t;
    t.apply(layer({file("a", "1111")}), 0);
    auto c = t.apply(layer({dir(".wh..wh.plnk"), file(".wh..wh.plnk/1234.5678", "2222", 20, 0755),
                            whiteout(".wh..wh.aufs"), dir(".wh..wh.orph")}),
                     1);
    BOOST_TEST(paths(t) == (Paths{"a"}));
    BOOST_TEST(c.changes.empty());
    BOOST_TEST(c.notes.empty());
}

// FORMATS.md section 5: "Regular files under the top-level .wh..wh.plnk/ are used only as
// hardlink targets for entries that link into it" (moby go-archive diff.go retargets such
// links to the stored file). The link must carry the stored file's content, as it does on
// disk after `docker load` or `umoci unpack`. Fixture: testdata/fs/edge-cases layer 2,
// bin/tool.
BOOST_AUTO_TEST_CASE(hardlink_into_aufs_plnk_gets_the_stored_content) {
    fs::MergedTree t;
    t.apply(layer({dir("bin"), dir(".wh..wh.plnk"), file(".wh..wh.plnk/1234.5678", "2222", 20, 0755),
                   hardlink("bin/tool", ".wh..wh.plnk/1234.5678")}),
            0);
    BOOST_TEST(paths(t) == (Paths{"bin", "bin/tool"}));
    BOOST_TEST(at(t, "bin/tool").entry->content() == "xxh128:2222");
}

BOOST_AUTO_TEST_CASE(hardlink_to_a_lower_layer_file_gets_its_content) {
    fs::MergedTree t;
    t.apply(layer({dir("lib"), file("lib/t", "1111", 9)}), 0);
    auto c = t.apply(layer({dir("lib2"), hardlink("lib2/link", "lib/t")}), 1);
    const auto& link = *at(t, "lib2/link").entry;
    BOOST_TEST(link.type == '1');
    BOOST_TEST(link.link() == "lib/t");
    BOOST_TEST(link.content() == "xxh128:1111");
    BOOST_REQUIRE(change_at(c, "lib2/link"));
    BOOST_TEST(change_at(c, "lib2/link")->after->content() == "xxh128:1111");
    // Modifying the target later is unlink + recreate: the link keeps the old content.
    t.apply(layer({file("lib/t", "2222", 30)}), 2);
    BOOST_TEST(at(t, "lib2/link").entry->content() == "xxh128:1111");
    BOOST_TEST(at(t, "lib/t").entry->content() == "xxh128:2222");
    // So does whiting it out.
    t.apply(layer({whiteout("lib/.wh.t")}), 3);
    BOOST_TEST(t.nodes().count("lib/t") == 0U);
    BOOST_TEST(at(t, "lib2/link").entry->content() == "xxh128:1111");
}

BOOST_AUTO_TEST_CASE(hardlink_to_an_earlier_entry_of_the_same_layer_gets_its_content) {
    fs::MergedTree t;
    t.apply(layer({dir("bin"), file("bin/hardlink", "5555", 15), hardlink("bin/orig", "bin/hardlink")}), 0);
    BOOST_TEST(at(t, "bin/orig").entry->content() == "xxh128:5555");
}

BOOST_AUTO_TEST_CASE(bare_wh_prefix_is_a_whiteout_without_name) {
    fs::MergedTree t;
    t.apply(layer({dir("d"), file("d/x", "1111")}), 0);
    auto c = t.apply(layer({whiteout("d/.wh.")}), 1);
    BOOST_TEST(paths(t) == (Paths{"d", "d/x"}));  // invalid: deletes nothing (not even d)
    BOOST_TEST(c.changes.empty());
    BOOST_TEST(notes(c) == (Paths{"whiteout-without-name d/.wh."}));
}

BOOST_AUTO_TEST_CASE(overlay_whiteout_device_is_shown_with_a_note) {
    fs::MergedTree t;
    t.apply(layer({file("x", "1111")}), 0);
    auto c = t.apply(layer({char_device("x", 0, 0), char_device("null", 1, 3)}), 1);
    BOOST_TEST(at(t, "x").entry->type == '3');
    BOOST_TEST(notes(c) == (Paths{"overlay-whiteout x"}));
    BOOST_TEST(summary(c) == (Paths{"A null", "C x"}));
}

BOOST_AUTO_TEST_CASE(escaping_names_are_notes_only) {
    fs::MergedTree t;
    auto l = std::make_shared<LayerIndex>();
    l->add(file("a", "1111"));
    l->escaping_names = {"../etc/passwd"};
    auto c = t.apply(l, 0);
    BOOST_TEST(paths(t) == (Paths{"a"}));
    BOOST_TEST(notes(c) == (Paths{"escaping-name ../etc/passwd"}));
}

// An entry whose parent is a symlink of a lower layer: extraction (moby in its chroot,
// umoci through SecureJoin, containerd through its root-scoped resolver) writes through
// the symlink, so the file appears in the symlink's target directory and the symlink
// stays. FORMATS.md section 5: "Do not follow symlinks out of the root when resolving
// parents". Fixture: testdata/fs/edge-cases tag symlink-parent (tolink -> d,
// then tolink/via-link.txt).
BOOST_AUTO_TEST_CASE(entry_below_a_lower_symlink_lands_in_its_target) {
    fs::MergedTree t;
    t.apply(layer({dir("d"), file("d/keep", "1111"), symlink_entry("tolink", "d")}), 0);
    t.apply(layer({file("tolink/via-link.txt", "2222")}), 1);
    BOOST_TEST(paths(t) == (Paths{"d", "d/keep", "d/via-link.txt", "tolink"}));
    BOOST_TEST(at(t, "tolink").entry->type == '2');
}

// fs::UpperCover judges a lower layer's paths from the layers above alone (export writes a
// layer before the ones under it are read). Against the tree of both layers, on generated
// stacks with no symlinks (whose landing needs the lower layers): a lower entry is hidden
// exactly when it is not the node at its path afterwards.
BOOST_AUTO_TEST_CASE(upper_cover_hides_what_the_tree_of_both_layers_replaces) {
    const std::vector<std::string> universe{"a", "a/b", "a/b/c", "a/d", "e", "e/f"};
    auto parent_of = [](const std::string& p) { return p.rfind('/') == std::string::npos ? std::string() : p.substr(0, p.rfind('/')); };
    // As a tar lists them: a path's parent directory is there before it (an implied
    // parent is another matter: the tree makes it when its first child comes).
    auto ancestors_are_dirs = [&](const std::string& p, const std::map<std::string, char>& types) {
        const std::string up = parent_of(p);
        if (up.empty()) return true;
        auto it = types.find(up);
        return it != types.end() && it->second == '5';
    };
    test::XorShift rng(0x5eed);
    int hidden = 0, kept = 0;
    for (int round = 0; round < 400; ++round) {
        std::map<std::string, char> lower_types, upper_types;
        std::vector<archive::EntryData> lower, upper;
        for (const auto& p : universe) {
            if (rng.next(3) == 0 || !ancestors_are_dirs(p, lower_types)) continue;
            const char type = rng.next(2) ? '5' : '0';
            lower_types[p] = type;
            lower.push_back(type == '5' ? dir(p) : file(p, "1111"));
        }
        for (const auto& p : universe) {
            std::map<std::string, char> both = lower_types;
            for (const auto& [k, v] : upper_types) both[k] = v;
            if (!ancestors_are_dirs(p, both)) continue;
            switch (rng.next(5)) {
                case 0: upper_types[p] = '5'; upper.push_back(dir(p)); break;
                case 1: upper_types[p] = '0'; upper.push_back(file(p, "2222")); break;
                case 2: {
                    const std::string d = parent_of(p);
                    upper.push_back(whiteout((d.empty() ? "" : d + "/") + ".wh." + p.substr(d.empty() ? 0 : d.size() + 1)));
                    break;
                }
                case 3:
                    if (lower_types.count(p) && lower_types[p] == '5') upper.push_back(whiteout(p + "/.wh..wh..opq"));
                    break;
                default: break;
            }
        }
        auto lower_index = layer(lower);
        auto upper_index = layer(upper);
        fs::MergedTree t;
        t.apply(lower_index, 0, false);
        t.apply(upper_index, 1, false);
        fs::UpperCover cover;
        cover.add(*upper_index);
        for (const auto& e : lower_index->entries) {
            const fs::Node* n = t.find(std::string(e.path()));
            const bool survives = n && n->entry == &e;
            std::string stack;
            for (const auto& x : lower) stack += " " + x.path + (x.type == '5' ? "/" : "");
            stack += " |";
            for (const auto& x : upper) stack += " " + x.path + (x.type == '5' ? "/" : "");
            BOOST_TEST(cover.hides(e.path()) == !survives, "round " << round << ": " << e.path() << " in" << stack);
            (survives ? kept : hidden) += 1;
        }
    }
    BOOST_TEST(hidden > 100);  // both answers were asked often
    BOOST_TEST(kept > 100);
}

BOOST_AUTO_TEST_CASE(upper_cover_hides_whiteouts_and_aufs_metadata_themselves) {
    fs::UpperCover cover;
    BOOST_TEST(cover.hides("a/.wh.x"));
    BOOST_TEST(cover.hides(".wh..wh.plnk/1.2"));
    BOOST_TEST(!cover.hides("a/x"));
    cover.add(*layer({whiteout(".wh..wh..opq")}));  // an opaque root hides everything below it
    BOOST_TEST(cover.hides("a/x"));
}

BOOST_AUTO_TEST_SUITE(waste)

BOOST_AUTO_TEST_CASE(hand_computed_default_mode) {
    auto r = fs::compute_waste(waste_layers(), false);
    BOOST_TEST(r.total_size == 330U);
    BOOST_TEST(r.user_size == 150U);
    BOOST_TEST(r.wasted_bytes == 270U);
    BOOST_TEST(r.efficiency == 0.25, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(r.user_wasted_fraction == 1.8, boost::test_tools::tolerance(1e-12));
    BOOST_REQUIRE_EQUAL(r.paths.size(), 2U);
    BOOST_TEST(r.paths[0].path == "/etc/a");
    BOOST_TEST(r.paths[0].count == 3U);
    BOOST_TEST(r.paths[0].total_bytes == 250U);
    BOOST_TEST(r.paths[0].wasted_bytes == 220U);
    BOOST_TEST(r.paths[1].path == "/etc/b");
    BOOST_TEST(r.paths[1].count == 2U);
    BOOST_TEST(r.paths[1].total_bytes == 50U);
    BOOST_TEST(r.paths[1].wasted_bytes == 50U);
}

BOOST_AUTO_TEST_CASE(hand_computed_dive_compatible_mode) {
    auto r = fs::compute_waste(waste_layers(), true);
    BOOST_TEST(r.total_size == 330U);
    BOOST_TEST(r.user_size == 150U);
    BOOST_TEST(r.wasted_bytes == 300U);
    BOOST_TEST(r.efficiency == 0.25, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(r.user_wasted_fraction == 2.0, boost::test_tools::tolerance(1e-12));
    BOOST_REQUIRE_EQUAL(r.paths.size(), 2U);
    BOOST_TEST(r.paths[0].wasted_bytes == 250U);
    BOOST_TEST(r.paths[1].wasted_bytes == 50U);
}

BOOST_AUTO_TEST_CASE(single_layer_wastes_nothing) {
    auto r = fs::compute_waste({layer({dir("etc"), file("etc/a", "a0", 100)})}, false);
    BOOST_TEST(r.total_size == 100U);
    BOOST_TEST(r.user_size == 0U);
    BOOST_TEST(r.wasted_bytes == 0U);
    BOOST_TEST(r.efficiency == 1.0);
    BOOST_TEST(r.user_wasted_fraction == 0.0);
    BOOST_TEST(r.paths.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()
