#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "digest/digest.hpp"
#include "report/table.hpp"
#include "report/units.hpp"
#include "report/width.hpp"
#include "xorshift.hpp"

using namespace tarsier::report;

namespace {

struct TabCase {
    const char* name;
    int min_width, tab_width, padding;
    char pad_char;
    unsigned flags;
    std::string src;
    std::string expected;
};

std::string render(const TabCase& c, CellWidth measure) {
    Table table(TableSettings{c.min_width, c.tab_width, c.padding, c.pad_char, c.flags, measure});
    table.write(c.src);
    return table.render();
}

// A selection of the cases in docker/cli cli/command/formatter/tabwriter/tabwriter_test.go
// (docker's fork of Go's text/tabwriter, whose cell widths are go-runewidth columns: see
// "11" and "13a", where 本 and 日本語 count two columns per character).
const std::vector<TabCase> kDockerTabwriterCases = {
    {"1b esc stripped", 8, 0, 1, '.', kStripEscape,
        "\377\377",
        ""},
    {"1c esc", 8, 0, 1, '.', 0,
        "\377\t\377",
        "\377\t\377"},
    {"1d esc stripped", 8, 0, 1, '.', kStripEscape,
        "\377\"foo\t\n"
         "\tbar\"\377",
        "\"foo\t\n"
         "\tbar\""},
    {"1e esc", 8, 0, 1, '.', 0,
        "abc\377\tdef",
        "abc\377\tdef"},
    {"3", 8, 0, 1, '.', 0,
        "a\n"
         "b\n"
         "c",
        "a\n"
         "b\n"
         "c"},
    {"4b", 8, 0, 1, '.', kAlignRight,
        "\t",
        ""},
    {"5c debug", 8, 0, 1, '.', kDebug,
        "*\t*\t",
        "*.......|*"},
    {"7e", 8, 0, 1, '.', 0,
        "e) foo\tbar\t\n",
        "e) foo..bar.....\n"},
    {"7g debug", 8, 0, 1, '.', kFilterHtml | kDebug,
        "g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
        "g) f&lt;o..|<b>bar</b>.....| non-terminated entity &amp"},
    {"8", 8, 0, 1, '*', 0,
        "Hello, world!\n",
        "Hello, world!\n"},
    {"9b", 1, 0, 0, '.', kFilterHtml,
        "1\t2<!---\014--->\t3\t4\n"
         "11\t222\t3333\t44444\n",
        "1.2<!---\014--->..3...4\n"
         "11222333344444\n"},
    {"9c debug", 1, 0, 0, '.', kDebug,
        "1\t2\t3\t4\01411\t222\t3333\t44444\n",
        "1|2|3|4\n"
         "---\n"
         "11|222|3333|44444\n"},
    {"10b", 5, 0, 0, '.', 0,
        "1\t2\t3\t4\t\n",
        "1....2....3....4....\n"},
    {"11", 8, 0, 1, '.', 0,
        "本\tb\tc\n"
         "aa\t本本本\tcccc\tddddd\n"
         "aaa\tbbbb\n",
        "本......b.......c\n"
         "aa......本本本..cccc....ddddd\n"
         "aaa.....bbbb\n"},
    {"12a", 8, 0, 1, ' ', kAlignRight,
        "a\tè\tc\t\n"
         "aa\tèèè\tcccc\tddddd\t\n"
         "aaa\tèèèè\t\n",
        "       a       è       c\n"
         "      aa     èèè    cccc   ddddd\n"
         "     aaa    èèèè\n"},
    {"13a", 4, 0, 1, '-', 0,
        "4444\t日本語\t22\t1\t333\n"
         "999999999\t22\n"
         "7\t22\n"
         "\t\t\t88888888\n"
         "\n"
         "666666\t666666\t666666\t4444\n"
         "1\t1\t999999999\t0000000000\n",
        "4444------日本語-22--1---333\n"
         "999999999-22\n"
         "7---------22\n"
         "------------------88888888\n"
         "\n"
         "666666-666666-666666----4444\n"
         "1------1------999999999-0000000000\n"},
    {"13b", 4, 0, 3, '.', 0,
        "4444\t333\t22\t1\t333\n"
         "999999999\t22\n"
         "7\t22\n"
         "\t\t\t88888888\n"
         "\n"
         "666666\t666666\t666666\t4444\n"
         "1\t1\t999999999\t0000000000\n",
        "4444........333...22...1...333\n"
         "999999999...22\n"
         "7...........22\n"
         "....................88888888\n"
         "\n"
         "666666...666666...666666......4444\n"
         "1........1........999999999...0000000000\n"},
    {"13c", 8, 8, 1, '\t', kFilterHtml,
        "4444\t333\t22\t1\t333\n"
         "999999999\t22\n"
         "7\t22\n"
         "\t\t\t88888888\n"
         "\n"
         "666666\t666666\t666666\t4444\n"
         "1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n",
        "4444\t\t333\t22\t1\t333\n"
         "999999999\t22\n"
         "7\t\t22\n"
         "\t\t\t\t88888888\n"
         "\n"
         "666666\t666666\t666666\t\t4444\n"
         "1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n"},
    {"14 debug", 1, 0, 2, ' ', kAlignRight | kDebug,
        ".0\t.3\t2.4\t-5.1\t\n"
         "23.0\t12345678.9\t2.4\t-989.4\t\n"
         "5.1\t12.0\t2.4\t-7.0\t\n"
         ".0\t0.0\t332.0\t8908.0\t\n"
         ".0\t-.3\t456.4\t22.1\t\n"
         ".0\t1.2\t44.4\t-13.3\t\t",
        "    .0|          .3|    2.4|    -5.1|\n"
         "  23.0|  12345678.9|    2.4|  -989.4|\n"
         "   5.1|        12.0|    2.4|    -7.0|\n"
         "    .0|         0.0|  332.0|  8908.0|\n"
         "    .0|         -.3|  456.4|    22.1|\n"
         "    .0|         1.2|   44.4|   -13.3|"},
    {"15d", 4, 0, 0, '.', kAlignRight | kDiscardEmptyColumns,
        "a\013\013b",
        "...ab"},
    {"16b debug", 100, 100, 0, '\t', kDiscardEmptyColumns | kDebug,
        "a\013b\013\013d\n"
         "a\013b\013\013d\013e\n"
         "a\n"
         "a\013b\013c\013d\n"
         "a\013b\013c\013d\013e\n",
        "a\t|b\t||d\n"
         "a\t|b\t||d\t|e\n"
         "a\n"
         "a\t|b\t|c\t|d\n"
         "a\t|b\t|c\t|d\t|e\n"},
    {"16c", 100, 100, 0, '\t', kDiscardEmptyColumns,
        "a\tb\t\td\n"
         "a\tb\t\td\te\n"
         "a\n"
         "a\tb\tc\td\n"
         "a\tb\tc\td\te\n",
        "a\tb\t\td\n"
         "a\tb\t\td\te\n"
         "a\n"
         "a\tb\tc\td\n"
         "a\tb\tc\td\te\n"},
};

// Rows as docker's "table" templates write them: cells joined by tabs, one line each.
std::string docker_table(const std::vector<std::vector<std::string>>& rows) {
    Table table;
    for (const auto& row : rows) table.add_row(row);
    return table.render();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report_table)

BOOST_AUTO_TEST_CASE(docker_tabwriter_cases) {
    for (const TabCase& c : kDockerTabwriterCases) {
        BOOST_TEST_CONTEXT("case " << c.name) {
            BOOST_TEST(render(c, CellWidth::display) == c.expected);
        }
    }
}

// Go's own text/tabwriter counts runes: case "11" of Go's src/text/tabwriter/tabwriter_test.go
// expects one more pad character after 本 than docker's fork does.
BOOST_AUTO_TEST_CASE(go_tabwriter_counts_runes) {
    const TabCase c{"11", 8, 0, 1, '.', 0,
                    "本\tb\tc\n"
                    "aa\t本本本\tcccc\tddddd\n"
                    "aaa\tbbbb\n",
                    "本.......b.......c\n"
                    "aa......本本本.....cccc....ddddd\n"
                    "aaa.....bbbb\n"};
    BOOST_TEST(render(c, CellWidth::runes) == c.expected);
}

// Example_trailingTab and Example_elastic in Go's src/text/tabwriter/example_test.go.
BOOST_AUTO_TEST_CASE(go_tabwriter_examples) {
    Table trailing(TableSettings{0, 0, 3, '-', kAlignRight | kDebug, CellWidth::runes});
    trailing.write("a\tb\taligned\t\naa\tbb\taligned\t\naaa\tbbb\tunaligned\naaaa\tbbbb\taligned\t\n");
    BOOST_TEST(trailing.render() ==
               "------a|------b|---aligned|\n"
               "-----aa|-----bb|---aligned|\n"
               "----aaa|----bbb|unaligned\n"
               "---aaaa|---bbbb|---aligned|\n");
    Table elastic(TableSettings{0, 0, 1, '.', kAlignRight | kDebug, CellWidth::runes});
    elastic.write("a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n");
    BOOST_TEST(elastic.render() == "....a|..b|c\n...aa|.bb|cc\n..aaa|\n.aaaa|.dddd|eeee\n");
}

// Not covered by the upstream tests; printed by docker's tabwriter under Go.
BOOST_AUTO_TEST_CASE(tab_indent_pads_leading_empty_cells_with_tabs) {
    Table table(TableSettings{0, 4, 1, '.', kTabIndent, CellWidth::display});
    table.write("\t\tx\ty\n\tlonger\tz\n");
    BOOST_TEST(table.render() == "\t\t\tx.y\n\tlonger.z\n");
}

// The expected output of TestHistoryContext_Table (truncated case) in docker/cli
// cli/command/image/formatter_history_test.go, built from the same data.
BOOST_AUTO_TEST_CASE(docker_history_table) {
    const std::int64_t now = 1767225600;
    const std::string day_ago = created_since(now - 86400, now);
    const std::string size = human_size(182964289, 3);
    const std::string long_command =
        "/bin/bash ls && npm i && npm run test && karma -c karma.conf.js start && npm start && "
        "more commands here && the list goes on";
    const std::string expected =
        "IMAGE      CREATED        CREATED BY                                      SIZE      COMMENT\n"
        "imageID1   24 hours ago   /bin/bash ls && npm i && npm run test && kar…   183MB     Hi\n"
        "imageID2   24 hours ago   /bin/bash echo                                  183MB     Hi\n"
        "imageID3   24 hours ago   /bin/bash ls                                    183MB     Hi\n"
        "imageID4   24 hours ago   /bin/bash grep                                  183MB     Hi\n"
        "imageID5   N/A            /bin/bash echo                                  183MB     Hi\n"
        "imageID6   17 years ago   /bin/bash echo                                  183MB     Hi\n";
    const std::string got = docker_table({
        {"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"},
        {tarsier::digest::short_id("imageID1"), day_ago, ellipsis(long_command, 45), size, "Hi"},
        {tarsier::digest::short_id("imageID2"), day_ago, ellipsis("/bin/bash echo", 45), size, "Hi"},
        {tarsier::digest::short_id("imageID3"), day_ago, ellipsis("/bin/bash ls", 45), size, "Hi"},
        {tarsier::digest::short_id("imageID4"), day_ago, ellipsis("/bin/bash grep", 45), size, "Hi"},
        {tarsier::digest::short_id("imageID5"), created_since(0, now), "/bin/bash echo", size, "Hi"},
        {tarsier::digest::short_id("imageID6"), created_since(1230768000, now), "/bin/bash echo", size,
         "Hi"},
    });
    BOOST_TEST(got == expected);
}

// The default table of TestImageContextWrite in docker/cli cli/command/formatter/image_test.go.
BOOST_AUTO_TEST_CASE(docker_image_ls_table) {
    const std::int64_t now = 1767225600;
    const std::string day_ago = created_since(now - 86400, now, CreatedRule::image_list);
    std::string zero = created_since(-62135596800, now, CreatedRule::image_list);
    if (zero.empty()) zero = "N/A";  // the template's {{else}}N/A
    const std::string expected =
        "REPOSITORY   TAG       IMAGE ID   CREATED        SIZE\n"
        "image        tag1      imageID1   24 hours ago   0B\n"
        "image        tag2      imageID2   N/A            0B\n"
        "<none>       <none>    imageID3   24 hours ago   0B\n";
    const std::string got = docker_table({
        {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"},
        {"image", "tag1", "imageID1", day_ago, human_size(0, 3)},
        {"image", "tag2", "imageID2", zero, human_size(0, 3)},
        {"<none>", "<none>", "imageID3", day_ago, human_size(0, 3)},
    });
    BOOST_TEST(got == expected);
    // TestImageContextWriteWithNoImage: a header alone, and a one-column table.
    BOOST_TEST(docker_table({{"REPOSITORY"}}) == "REPOSITORY\n");
}

// A newline inside a cell (a BuildKit heredoc in CREATED BY) ends the columns above it, and an
// empty last cell leaves the padded SIZE column as trailing spaces. Expected output printed
// by docker's tabwriter under Go.
BOOST_AUTO_TEST_CASE(newline_in_cell_splits_the_table_like_docker) {
    const std::string expected =
        "IMAGE       CREATED BY   SIZE      COMMENT\n"
        "<missing>   RUN /bin/sh -c cat <<EOF > /x\n"
        "hello\n"
        "EOF         1.22MB      \n"
        "<missing>   日本語 👨\u200d👩   0B        buildkit\n"
        "abc         café        12kB      \n";
    const std::string got = docker_table({
        {"IMAGE", "CREATED BY", "SIZE", "COMMENT"},
        {"<missing>", "RUN /bin/sh -c cat <<EOF > /x\nhello\nEOF", "1.22MB", ""},
        {"<missing>", "日本語 👨\u200d👩", "0B", "buildkit"},
        {"abc", "café", "12kB", ""},
    });
    BOOST_TEST(got == expected);
}

// TestEllipsis in docker/cli cli/command/formatter/displayutils_test.go.
BOOST_AUTO_TEST_CASE(ellipsis_matches_docker_tests) {
    BOOST_TEST(ellipsis("t🐳ststring", 0) == "");
    BOOST_TEST(ellipsis("t🐳ststring", 1) == "t");
    BOOST_TEST(ellipsis("t🐳ststring", 2) == "t…");
    BOOST_TEST(ellipsis("t🐳ststring", 6) == "t🐳st…");
    BOOST_TEST(ellipsis("t🐳ststring", 20) == "t🐳ststring");
    BOOST_TEST(ellipsis("你好世界teststring", 0) == "");
    BOOST_TEST(ellipsis("你好世界teststring", 1) == "你");
    BOOST_TEST(ellipsis("你好世界teststring", 3) == "你…");
    BOOST_TEST(ellipsis("你好世界teststring", 6) == "你好…");
    BOOST_TEST(ellipsis("你好世界teststring", 20) == "你好世界teststring");
}

// Edge cases of the same function, reasoned from displayutils.go and confirmed under Go.
BOOST_AUTO_TEST_CASE(ellipsis_edges) {
    BOOST_TEST(ellipsis("abcdef", 6) == "abcdef");
    BOOST_TEST(ellipsis("abcdefg", 6) == "abcde…");
    BOOST_TEST(ellipsis("你好", 2) == "你好");  // a wide first rune wider than 1 column: unchanged
    BOOST_TEST(ellipsis("你好x", 2) == "你好x");
    BOOST_TEST(ellipsis("", 1) == "");
    BOOST_TEST(ellipsis("e\u0301e\u0301e\u0301", 4) == "e\u0301e\u2026");  // a mark is a rune
}

// go-runewidth v0.0.24 StringWidth results, printed under Go with RUNEWIDTH_EASTASIAN=0.
BOOST_AUTO_TEST_CASE(display_width_follows_grapheme_clusters) {
    BOOST_TEST(display_width("") == 0);
    BOOST_TEST(display_width("abc") == 3);
    BOOST_TEST(display_width(std::string_view("a\0b", 3)) == 2);
    BOOST_TEST(display_width("日本語") == 6);
    BOOST_TEST(display_width("\u2026") == 1);
    BOOST_TEST(display_width("\u00ad") == 0);
    BOOST_TEST(display_width("e\u0301") == 1);
    BOOST_TEST(display_width("\u05D0\u05B8") == 1);                      // Hebrew letter + point
    BOOST_TEST(display_width("\u0915\u094D\u0937") == 2);                // no GB9c in Unicode 15.0
    BOOST_TEST(display_width("\u1100\u1161\u11A8") == 2);                // Hangul jamo L V T
    BOOST_TEST(display_width("\U0001F468\u200D\U0001F469\u200D\U0001F467") == 2);  // ZWJ family
    BOOST_TEST(display_width("\U0001F1EF\U0001F1F5") == 1);              // flag: two RIs
    BOOST_TEST(display_width("\U0001F44D\U0001F3FB") == 2);              // skin tone modifier
    BOOST_TEST(display_width("\u2764\uFE0F") == 1);
    BOOST_TEST(display_width("\uFF76\uFF9E") == 1);                      // halfwidth kana + mark
    BOOST_TEST(display_width("\xff") == 1);
    BOOST_TEST(display_width("ab\xff" "cd") == 5);
    BOOST_TEST(rune_width(U'\u4E2D') == 2);
    BOOST_TEST(rune_width(U'\u0300') == 0);
    BOOST_TEST(rune_width(0x110000) == 0);
}

BOOST_AUTO_TEST_CASE(streamed_columns_align_as_the_table_does) {
    // Rows of equal shape with short, long, empty, wide (CJK, emoji) and combining cells:
    // what StreamedColumns writes row by row must be what Table renders at once.
    tarsier::test::XorShift random(88172645463325252ULL);
    auto next = [&random](std::uint64_t bound) { return random.next(bound); };
    const std::vector<std::string> pieces{"", "a", "0", "12345678901", "\u65e5\u672c", "e\u0301", "\U0001f600", "-rw-r--r--",
                                          "/usr/share/x", "1000/1000"};
    for (int round = 0; round < 200; ++round) {
        const std::size_t cells = 2 + next(4);
        std::vector<std::vector<std::string>> rows(1 + next(6));
        for (auto& row : rows)
            for (std::size_t c = 0; c < cells; ++c) row.push_back(pieces[next(pieces.size())] + pieces[next(pieces.size())]);
        Table table;
        StreamedColumns columns(cells - 1);
        for (const auto& row : rows) {
            table.add_row(row);
            columns.measure(row);
        }
        std::string streamed;
        for (const auto& row : rows) columns.write(streamed, row, row.back());
        BOOST_TEST_REQUIRE(streamed == table.render(), "round " << round);
    }
}

BOOST_AUTO_TEST_SUITE_END()
