#include "report/table.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "report/width.hpp"

namespace tarsier::report {

namespace {

constexpr char kEscape = '\xff';

/// A segment of text ended by a tab or a line break: its length in bytes, its width, and
/// whether a horizontal tab ended it.
struct Cell {
    std::size_t size = 0;
    int width = 0;
    bool htab = false;
};

/// Number of runes as Go's utf8.RuneCount counts them (an invalid byte is one rune).
int rune_count(std::string_view s) {
    int count = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t need = b >= 0xF0 && b <= 0xF4   ? 3
                                 : b >= 0xE0 && b <= 0xEF ? 2
                                 : b >= 0xC2 && b <= 0xDF ? 1
                                                          : 0;
        const unsigned char lo = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
        bool valid = need > 0 && i + need < s.size();
        for (std::size_t k = 1; valid && k <= need; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            valid = k == 1 ? (c >= lo && c <= hi) : (c & 0xC0) == 0x80;
        }
        i += valid ? need + 1 : 1;
        ++count;
    }
    return count;
}

/// One pass of the elastic-tabstop writer over a text, written as Go's Writer.Write
/// followed by Flush.
class Aligner {
public:
    explicit Aligner(const TableSettings& settings) : m_s(settings) {
        m_s.min_width = std::max(m_s.min_width, 0);
        m_s.tab_width = std::max(m_s.tab_width, 0);
        m_s.padding = std::max(m_s.padding, 0);
        if (m_s.pad_char == '\t') m_s.flags &= ~static_cast<unsigned>(kAlignRight);
        reset();
    }

    void write(std::string_view text);
    void flush();
    [[nodiscard]] std::string take() { return std::move(m_out); }

private:
    bool has(TableFlag flag) const { return (m_s.flags & flag) != 0; }
    void reset();
    void append(std::string_view text) {
        m_buf.append(text);
        m_cell.size += text.size();
    }
    void update_width();
    void start_escape(char ch);
    void end_escape();
    std::size_t terminate_cell(bool htab);
    void write_padding(int text_width, int cell_width, bool use_tabs);
    std::size_t write_lines(std::size_t pos, std::size_t line0, std::size_t line1);
    std::size_t format(std::size_t pos, std::size_t line0, std::size_t line1);

    TableSettings m_s;
    std::string m_buf;   // all cell text, without the tabs and line breaks
    std::size_t m_pos = 0;  // m_buf offset up to which m_cell.width is computed
    Cell m_cell;         // the cell being collected
    char m_end_char = 0;  // what ends the current escaped segment, 0 outside one
    std::vector<std::vector<Cell>> m_lines;
    std::vector<int> m_widths;  // widths of the columns left of the one being formatted
    std::string m_out;
};

void Aligner::reset() {
    m_buf.clear();
    m_pos = 0;
    m_cell = Cell{};
    m_end_char = 0;
    m_lines.assign(1, {});
    m_widths.clear();
}

void Aligner::update_width() {
    const std::string_view pending = std::string_view(m_buf).substr(m_pos);
    m_cell.width +=
        m_s.measure == CellWidth::display ? display_width(pending) : rune_count(pending);
    m_pos = m_buf.size();
}

void Aligner::start_escape(char ch) {
    switch (ch) {
        case kEscape: m_end_char = kEscape; break;
        case '<': m_end_char = '>'; break;
        case '&': m_end_char = ';'; break;
        default: break;
    }
}

void Aligner::end_escape() {
    switch (m_end_char) {
        case kEscape:
            update_width();
            if (!has(kStripEscape)) m_cell.width -= 2;  // the two 0xFF bytes take no room
            break;
        case '>': break;                       // a tag is zero wide
        case ';': m_cell.width++; break;       // an entity is one character
        default: break;
    }
    m_pos = m_buf.size();
    m_end_char = 0;
}

std::size_t Aligner::terminate_cell(bool htab) {
    m_cell.htab = htab;
    m_lines.back().push_back(m_cell);
    m_cell = Cell{};
    return m_lines.back().size();
}

void Aligner::write(std::string_view text) {
    std::size_t n = 0;  // start of the text not yet appended
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (m_end_char == 0) {
            switch (ch) {
                case '\t':
                case '\v':
                case '\n':
                case '\f': {
                    append(text.substr(n, i - n));
                    update_width();
                    n = i + 1;
                    const std::size_t cells = terminate_cell(ch == '\t');
                    if (ch == '\n' || ch == '\f') {
                        m_lines.emplace_back();
                        // A line of one cell cannot affect the lines after it, and a form
                        // feed ends every column: format what is buffered now.
                        if (ch == '\f' || cells == 1) {
                            flush();
                            if (ch == '\f' && has(kDebug)) m_out += "---\n";
                        }
                    }
                    break;
                }
                case kEscape:
                    append(text.substr(n, i - n));
                    update_width();
                    n = has(kStripEscape) ? i + 1 : i;
                    start_escape(kEscape);
                    break;
                case '<':
                case '&':
                    if (has(kFilterHtml)) {
                        append(text.substr(n, i - n));
                        update_width();
                        n = i;
                        start_escape(ch);
                    }
                    break;
                default: break;
            }
        } else if (ch == m_end_char) {
            const std::size_t end = (ch == kEscape && has(kStripEscape)) ? i : i + 1;
            append(text.substr(n, end - n));
            n = i + 1;
            end_escape();
        }
    }
    append(text.substr(n));
}

void Aligner::flush() {
    if (m_cell.size > 0) {
        if (m_end_char != 0) end_escape();  // an unfinished escape counts as finished
        terminate_cell(false);
    }
    format(0, 0, m_lines.size());
    reset();
}

void Aligner::write_padding(int text_width, int cell_width, bool use_tabs) {
    if (m_s.pad_char == '\t' || use_tabs) {
        if (m_s.tab_width == 0) return;  // tabs have no width: no padding possible
        cell_width = (cell_width + m_s.tab_width - 1) / m_s.tab_width * m_s.tab_width;
        const int missing = std::max(cell_width - text_width, 0);
        const int tabs = (missing + m_s.tab_width - 1) / m_s.tab_width;
        m_out.append(static_cast<std::size_t>(tabs), '\t');
        return;
    }
    m_out.append(static_cast<std::size_t>(std::max(cell_width - text_width, 0)), m_s.pad_char);
}

std::size_t Aligner::write_lines(std::size_t pos, std::size_t line0, std::size_t line1) {
    for (std::size_t i = line0; i < line1; ++i) {
        bool use_tabs = has(kTabIndent);  // only leading empty cells are tab-indented
        const std::vector<Cell>& line = m_lines[i];
        for (std::size_t j = 0; j < line.size(); ++j) {
            const Cell& c = line[j];
            const bool in_column = j < m_widths.size();
            if (j > 0 && has(kDebug)) m_out += '|';
            if (c.size == 0) {
                if (in_column) write_padding(c.width, m_widths[j], use_tabs);
                continue;
            }
            use_tabs = false;
            if (has(kAlignRight) && in_column) write_padding(c.width, m_widths[j], false);
            m_out.append(m_buf, pos, c.size);
            pos += c.size;
            if (!has(kAlignRight) && in_column) write_padding(c.width, m_widths[j], false);
        }
        if (i + 1 == m_lines.size()) {
            // The last buffered line has no newline yet: only its pending text goes out.
            m_out.append(m_buf, pos, m_cell.size);
            pos += m_cell.size;
        } else {
            m_out += '\n';
        }
    }
    return pos;
}

std::size_t Aligner::format(std::size_t pos, std::size_t line0, std::size_t line1) {
    const std::size_t column = m_widths.size();
    // A line takes part in this column when it has a cell here that is not its last one
    // (the last cell of a line holds the text after its final tab).
    auto in_column = [&](std::size_t line) { return column + 1 < m_lines[line].size(); };
    for (std::size_t current = line0; current < line1; ++current) {
        if (!in_column(current)) continue;
        // This line starts a block of lines sharing the column: print what came before it.
        pos = write_lines(pos, line0, current);
        line0 = current;
        int width = m_s.min_width;
        bool discardable = true;  // every cell empty and ended by a soft tab
        for (; current < line1 && in_column(current); ++current) {
            const Cell& c = m_lines[current][column];
            width = std::max(width, c.width + m_s.padding);
            if (c.width > 0 || c.htab) discardable = false;
        }
        if (discardable && has(kDiscardEmptyColumns)) width = 0;
        // Format the block's columns to the right now that this one's width is known.
        m_widths.push_back(width);
        pos = format(pos, line0, current);
        m_widths.pop_back();
        line0 = current;
        // As in Go, the loop increment then skips the line that ended the block; that line
        // has no cell in this column, so it cannot start a block either.
    }
    return write_lines(pos, line0, line1);
}

}  // namespace

Table::Table(TableSettings settings) : m_settings(settings) {}

void Table::add_row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) m_text += '\t';
        m_text += cells[i];
    }
    m_text += '\n';
}

void Table::write(std::string_view text) {
    m_text.append(text);
}

std::string Table::render() const {
    Aligner aligner(m_settings);
    aligner.write(m_text);
    aligner.flush();
    return aligner.take();
}

void StreamedColumns::measure(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < m_width.size() && i < cells.size(); ++i)
        m_width[i] = std::max(m_width[i], static_cast<std::size_t>(display_width(cells[i])));
}

void StreamedColumns::write(std::string& out, const std::vector<std::string>& cells, std::string_view last) const {
    for (std::size_t i = 0; i < m_width.size(); ++i) {
        const std::string empty;
        const std::string& c = i < cells.size() ? cells[i] : empty;
        std::size_t width = std::max<std::size_t>(m_width[i] + 3, 10);
        auto used = static_cast<std::size_t>(display_width(c));
        out += c;
        out.append(width > used ? width - used : 0, ' ');
    }
    out += last;
    out += '\n';
}

}  // namespace tarsier::report
