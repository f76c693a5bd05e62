#pragma once
/// Column alignment exactly like the docker CLI's tables.
///
/// Docker renders `docker image ls`, `docker history` and its other tables by running the
/// rows through its fork of Go's text/tabwriter (cli/command/formatter/tabwriter), created in
/// cli/command/formatter/formatter.go as `NewWriter(out, 10, 1, 3, ' ', 0)`. `Table` is a
/// re-implementation of that writer's algorithm (elastic tabstops) fed with the same bytes:
/// cells end at '\t' (or '\v'), lines at '\n' (or '\f'). Its rules, which show in the output:
/// - a column is a run of consecutive lines that all have a tab-terminated cell at that
///   index; its width is the widest cell + padding, at least min_width;
/// - the text after a line's last tab is not part of any column and is never padded, but a
///   line ending in a tab pads its last cell (docker's history rows get trailing spaces when
///   COMMENT is empty);
/// - a line without any tab ends all columns above it, so a '\n' inside a cell (a heredoc
///   in CREATED BY) splits the table exactly as docker's output does;
/// - byte 0xFF starts and ends an escaped segment whose tabs and newlines are plain text.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tarsier::report {

/// Go tabwriter flags (same bits as text/tabwriter).
enum TableFlag : unsigned {
    kFilterHtml = 1U << 0,           ///< HTML tags count 0 columns, entities 1
    kStripEscape = 1U << 1,          ///< drop the 0xFF bytes around escaped text
    kAlignRight = 1U << 2,           ///< pad on the left of each cell
    kDiscardEmptyColumns = 1U << 3,  ///< columns of only empty '\v'-terminated cells vanish
    kTabIndent = 1U << 4,            ///< pad leading empty cells with tabs
    kDebug = 1U << 5,                ///< print '|' between columns
};

/// How a cell's width is measured.
enum class CellWidth {
    display,  ///< go-runewidth columns, as docker's fork does (see width.hpp)
    runes,    ///< count of UTF-8 runes, as Go's own text/tabwriter does
};

/// The writer's parameters; the defaults are docker's (`NewWriter(out, 10, 1, 3, ' ', 0)`).
struct TableSettings {
    int min_width = 10;  ///< smallest column width, padding included
    int tab_width = 1;   ///< columns per tab when padding with tabs
    int padding = 3;     ///< added to the widest cell of a column
    char pad_char = ' ';  ///< '\t' means tab padding (and no right alignment)
    unsigned flags = 0;   ///< TableFlag bits
    CellWidth measure = CellWidth::display;
};

/// Text to be aligned into columns. Feed it with add_row (docker's table rows) or write (raw
/// bytes, as an io.Writer would get them), then call render, which returns what Go's
/// Writer.Flush would output. Negative settings are taken as 0 (Go panics).
class Table {
public:
    /// A table with docker's settings unless told otherwise.
    explicit Table(TableSettings settings = {});

    /// Appends one line: the cells joined by '\t' and ended by '\n', as docker's
    /// "table {{.A}}\t{{.B}}" templates produce them. Cells are written as they are, so a
    /// tab or newline inside one acts as it would in docker.
    void add_row(const std::vector<std::string>& cells);

    /// Appends raw text.
    void write(std::string_view text);

    /// The aligned text of everything written so far; the table itself is not changed.
    [[nodiscard]] std::string render() const;

private:
    TableSettings m_settings;
    std::string m_text;
};

/// Docker's alignment for rows that all have the same cells, written as they are made
/// instead of collected: every cell but the last is padded to its column's width (the
/// widest cell's display_width plus 3, at least 10) and the last is not, which is what
/// Table gives for such rows when no cell holds a tab, a newline or byte 0xFF (cells
/// escaped for display never do). Measure every row first, then write them.
class StreamedColumns {
public:
    /// `padded`: how many cells of a row are padded (the row has one more).
    explicit StreamedColumns(std::size_t padded) : m_width(padded, 0) {}
    void measure(const std::vector<std::string>& padded_cells);
    /// Appends the row: the padded cells, then `last` and a newline.
    void write(std::string& out, const std::vector<std::string>& padded_cells, std::string_view last) const;

private:
    std::vector<std::size_t> m_width;
};

}  // namespace tarsier::report
