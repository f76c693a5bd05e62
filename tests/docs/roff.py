"""The little of roff that the manual pages use, read back as text (shared by the docs tests).

`text(line)` turns one line of a page into what a reader sees: \\- is "-", \\e and \\\\ are
a backslash, \\& and font changes (\\fB, \\fI, \\fR, \\fP) vanish, \\(em, \\(dq, \\(aq and
\\[uXXXX] are their characters. Any other escape raises ValueError, so that a page cannot
show one thing and a test read another.
"""
import re

NAMED = {"em": "\u2014", "en": "\u2013", "dq": '"', "aq": "'", "bu": "\u2022", "co": "\u00a9", "ga": "`",
         "ha": "^", "ti": "~", "rs": "\\", "lq": "\u201c", "rq": "\u201d", "oq": "\u2018", "cq": "\u2019"}
ESCAPE = re.compile(r"\\(\((..)|\[u([0-9A-Fa-f]{4,6})\]|\[(\w+)\]|f[BIRP]|.)")


def text(line):
    def one(m):
        whole = m.group(1)
        if m.group(2) is not None:
            if m.group(2) in NAMED:
                return NAMED[m.group(2)]
        elif m.group(3) is not None:
            return chr(int(m.group(3), 16))
        elif m.group(4) is not None:
            if m.group(4) in NAMED:
                return NAMED[m.group(4)]
        elif whole.startswith("f"):
            return ""
        elif whole in ("-", "e", "\\"):
            return "-" if whole == "-" else "\\"
        elif whole in ("&", ")"):
            return ""
        elif whole in (" ", "~"):
            return " "
        raise ValueError(f"unknown roff escape \\{whole} in: {line.rstrip()}")
    return ESCAPE.sub(one, line)


def sections(page):
    """{section title: [lines]} of a page's source (requests included)."""
    out, title = {}, None
    for line in page.splitlines(keepends=True):
        if line.startswith(".SH "):
            title = line[4:].strip().strip('"')
            out[title] = []
        elif title is not None:
            out[title].append(line)
    return out


def blocks(lines, start=".EX", end=".EE"):
    """The lines between each `start` and `end` request, as (line index, [lines])."""
    out, current, first = [], None, 0
    for i, line in enumerate(lines):
        if line.startswith(start) and current is None:
            current, first = [], i + 1
        elif line.startswith(end) and current is not None:
            out.append((first, current))
            current = None
        elif current is not None:
            current.append(line)
    return out
