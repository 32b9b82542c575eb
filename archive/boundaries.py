"""Multipart boundaries matched without a regular expression compiled for each.

Before Python 3.13, the standard library's feed parser compiles a pattern for every multipart
boundary it meets (`'(?P<sep>' + re.escape(separator) + ...`), and as each message has
boundaries of its own, the `re` module's cache never holds them: a fifth of parsing an
archive of HTML mail went to compiling them. Python 3.13 matches a line against the
separator with `str.startswith` and one pattern compiled once for what may follow it. On older
versions, `install` gives the feed parser a `re` whose `compile` returns that same matcher for
the boundary pattern, and the real pattern for any other: the parser's results are the same.
"""

from __future__ import annotations

import re
import sys
from email import feedparser
from types import ModuleType
from typing import Any

# What follows the escaped separator in the feed parser's boundary pattern (before 3.13).
_HEAD = "(?P<sep>"
_TAIL = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
_AFTER_SEPARATOR = re.compile(_TAIL[1:])
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


class BoundaryMatcher:
    """`match` as the compiled boundary pattern's: a line that starts with the separator,
    then, at its end, an optional `--`, blanks and a line break (groups `end`, `ws`,
    `linesep`; the parser asks for no other)."""

    __slots__ = ("separator",)

    def __init__(self, separator: str) -> None:
        self.separator = separator

    def match(self, line: str) -> re.Match[str] | None:
        if not line.startswith(self.separator):
            return None
        return _AFTER_SEPARATOR.match(line, len(self.separator))


def separator_of(pattern: str) -> str | None:
    """The separator a feed-parser boundary pattern was made from, or None for any other."""
    if not (pattern.startswith(_HEAD) and pattern.endswith(_TAIL)):
        return None
    escaped = pattern[len(_HEAD) : -len(_TAIL)]
    separator = _ESCAPE.sub(r"\1", escaped)
    return separator if re.escape(separator) == escaped else None


class _FeedParserRe(ModuleType):
    """The `re` module as the feed parser sees it: boundary patterns become matchers."""

    def __init__(self) -> None:
        super().__init__("re")

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    @staticmethod
    def compile(pattern: Any, flags: int = 0) -> Any:
        separator = separator_of(pattern) if isinstance(pattern, str) and not flags else None
        return re.compile(pattern, flags) if separator is None else BoundaryMatcher(separator)


def install() -> None:
    """Give the feed parser the boundary matcher, where its Python compiles a pattern for each
    boundary (before 3.13). Idempotent."""
    names = vars(feedparser)  # (typeshed does not list the module's own imports)
    if sys.version_info < (3, 13) and names.get("re") is re:
        names["re"] = _FeedParserRe()
