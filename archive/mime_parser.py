"""The standard library's MIME parser (compat32), made quicker on large mail without changing
what it gives: a part's body handed to it in one piece instead of a line at a time.

`email.feedparser` reads a message line by line, through a Python call per line, and collects
a part's body by joining those lines: three quarters of the lines of an archive of HTML mail
are inside such bodies (a base64 attachment, an HTML twin), and walking them was most of the
time it took to parse one. Here, where the parser collects a body (which it does by iterating
over its input, to the end of the part), the input gives it every line up to that end at once,
found with `str.startswith` in C against the separators of the boundaries that can end it. The
parser does everything else itself, so the tree, payloads, preambles, epilogues and defects
are its own:

- its headers loop, the one place where it iterates and looks at each line, gets lines one by
  one as before (from the start of each message or part up to the first line that is not a
  header: the line it stops at);
- where a part may end at something other than a multipart boundary whose separator is known
  (a delivery report's blank lines, or Python 3.13's own boundary matcher, which hides its
  separator), lines are given one by one as before.

Once a body is whole, the parser takes its last line break off (it belongs to the boundary
that follows) with a pattern anchored at the end, which `re` looks for from the body's start:
`install` gives it a stand-in that looks at the last two characters only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from email import feedparser
from email.feedparser import FeedParser
from email.message import Message
from email.policy import compat32
from itertools import compress, repeat, starmap
from typing import Any

from archive.boundaries import BoundaryMatcher

_FEED_PARSER = vars(feedparser)  # (typeshed lists none of the names below)
_NEED_MORE_DATA = _FEED_PARSER["NeedMoreData"]
_HEADER_LINE: re.Pattern[str] = _FEED_PARSER["headerRE"]
_BufferedSubFile: Any = _FEED_PARSER["BufferedSubFile"]
_LINE_END_AT_END = r"(\r\n|\r|\n)\Z"  # the feed parser's NLCRE_eol


class _WholeBodies(_BufferedSubFile):  # type: ignore[misc]
    """The parser's input: lines one by one while headers are read, then every line up to the
    part's end in one string."""

    def __init__(self) -> None:
        super().__init__()
        self.reading_headers = True

    def __next__(self) -> Any:
        if not self.reading_headers:
            return self._to_end()
        line = self.readline()
        if line == "":
            raise StopIteration
        if line is not _NEED_MORE_DATA and not _HEADER_LINE.match(line):
            self.reading_headers = False  # the line the headers loop stops at
        return line

    def _to_end(self) -> Any:
        lines = self._lines
        if not lines:
            if self._closed:
                raise StopIteration
            return _NEED_MORE_DATA
        separators = _separators(self._eofstack)
        if separators is None:  # an end this class cannot look for: a line at a time
            line = self.readline()
            if line == "":
                raise StopIteration
            return line
        end = _first_end(lines, self._eofstack, separators)
        if end == 0:
            raise StopIteration  # (readline() would give "": the part's end)
        return "".join(starmap(lines.popleft, repeat((), end)))


def _separators(ends: list[Callable[[str], Any]]) -> tuple[str, ...] | None:
    """The separators of the boundaries that end the current part, or None when one of its
    ends is not a boundary matcher of ours."""
    found = []
    for end in ends:
        matcher = getattr(end, "__self__", None)
        if type(matcher) is not BoundaryMatcher:
            return None
        found.append(matcher.separator)
    return tuple(found)


def _first_end(lines: Any, ends: list[Callable[[str], Any]], separators: tuple[str, ...]) -> int:
    """The index of the first of `lines` that ends the part (as `readline` checks it), or
    their number when none does."""
    if not separators:
        return len(lines)
    # Only lines that start with a separator are checked in full; each comes with its index
    # (a deque's lines are not read by index: that would be quadratic in such lines).
    starting = compress(enumerate(lines), map(str.startswith, lines, repeat(separators)))
    for index, line in starting:
        if any(end(line) for end in ends):
            return index
    return len(lines)


class _Parser(FeedParser):
    """The feed parser reading from `_WholeBodies`."""

    def __init__(self) -> None:
        super().__init__(policy=compat32)
        self._input = _WholeBodies()

    def _new_message(self) -> None:
        super()._new_message()  # type: ignore[misc]
        self._input.reading_headers = True


def parse_bytes(data: bytes, *, headersonly: bool = False) -> Message:
    """As `email.parser.BytesParser(policy=compat32).parsebytes`, the bytes fed at once."""
    parser = _Parser()
    if headersonly:
        parser._set_headersonly()  # type: ignore[attr-defined]
    parser.feed(data.decode("ascii", errors="surrogateescape"))
    return parser.close()


class _LineEndAtEnd:
    """The feed parser's `NLCRE_eol`, searched for in the last two characters alone: the
    same match, at the same place, without reading the string from its start."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def search(self, string: str) -> re.Match[str] | None:
        return self.pattern.search(string, max(len(string) - 2, 0))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)


def install() -> None:
    """Give the feed parser the line-end stand-in (where its pattern is the one expected).
    Idempotent."""
    found = _FEED_PARSER.get("NLCRE_eol")
    if isinstance(found, re.Pattern) and found.pattern == _LINE_END_AT_END:
        _FEED_PARSER["NLCRE_eol"] = _LineEndAtEnd(found)
