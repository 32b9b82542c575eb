"""Readable plain text of an HTML body (for search, and for mail without a text part).

libxml2 (through lxml) reads the markup: linear in the input and bounded in depth, where the
stdlib's HTMLParser takes quadratic time on some malformed markup (`'<a ' * 20000`)."""

from __future__ import annotations

import html as html_entities
import re
from collections.abc import Callable

from lxml import etree

# Let through only so that their content can be dropped: stripping the tag alone would show
# a script's source or a stylesheet as text.
DROPPED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "title", "head", "svg", "math", "template", "noscript"),
        *("object", "embed", "applet", "iframe", "frame", "frameset", "noframes", "xml"),
        *("select", "textarea"),
    }
)
_PARAGRAPHS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ul", "ol", "dl", "hr"}
)
_LINES = frozenset(
    {
        *("div", "br", "li", "tr", "dt", "dd", "caption", "address", "center", "section"),
        *("article", "header", "footer", "form", "fieldset"),
    }
)
_BLANK_RUNS = re.compile(r"\n{3,}")
# Quoting re-reads the quoted text, so only so many levels are quoted (each is a full pass).
MAX_QUOTE_LEVELS = 24
# Beyond this the markup is only stripped, not laid out (C-speed regular expressions).
MAX_LAYOUT_CHARS = 1024 * 1024
_TAG = re.compile(r"<[^<>]*>")  # [^<>]: a stray '<' never makes the scan run to the end
_PARSER = etree.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
)


class _TextWriter:
    """Blocks on their own lines, blockquotes quoted with "> ", link targets after links."""

    def __init__(self) -> None:
        self.out: list[str] = [""]
        self.hidden = 0  # depth inside script, style, head...
        self.pre = 0
        self.space = False  # a space is owed before the next word
        self.quotes: list[int | None] = []  # where each open blockquote's text starts
        self.links: list[tuple[int, str] | None] = []

    def start(self, tag: str, attribute: Callable[[str], str | None]) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.hidden += 1
            return
        if self.hidden:
            return
        self._break(tag)
        if tag == "li":
            self.out.append("- ")
        elif tag == "pre":
            self.pre += 1
        elif tag == "blockquote":
            self.quotes.append(len(self.out) if len(self.quotes) < MAX_QUOTE_LEVELS else None)
        elif tag == "a":
            self.links.append((len(self.out), attribute("href") or "") if not self.links else None)
        elif tag == "img":
            alt = " ".join((attribute("alt") or "").split())
            self._word(f"[image: {alt}]" if alt else "[image]")
        elif tag in ("td", "th"):
            self.space = True

    def end(self, tag: str) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.hidden = max(self.hidden - 1, 0)
            return
        if self.hidden:
            return
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        elif tag == "blockquote" and self.quotes and (start := self.quotes.pop()) is not None:
            self._quote(start)
        elif tag == "a" and self.links and (link := self.links.pop()) is not None:
            self._link(*link)
        self._break(tag)

    def data(self, data: str) -> None:
        if self.hidden or not data:
            return
        if self.pre:
            self.out.append(data)
            return
        if data[:1].isspace():
            self.space = True
        words = " ".join(data.split())
        if words:
            self._word(words)
            self.space = data[-1:].isspace()

    def _word(self, words: str) -> None:
        if self.space and not self.out[-1][-1:].isspace():
            self.out.append(" ")
        self.out.append(words)
        self.space = False

    def _break(self, tag: str) -> None:
        if tag in _PARAGRAPHS or tag == "blockquote":
            self.out.append("\n\n")
        elif tag in _LINES and not self.out[-1].endswith("\n"):
            self.out.append("\n")
        else:
            return
        self.space = False

    def _quote(self, start: int) -> None:
        inner = _tidy("".join(self.out[start:]))
        quoted = "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))
        self.out[start:] = ["\n", quoted, "\n"]

    def _link(self, start: int, href: str) -> None:
        label = "".join(self.out[start:])
        if href.startswith(("http:", "https:")) and href not in label:
            self.space = True
            self._word(f"<{href}>")


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body; any input gives text, in time linear in its size."""
    if len(html) > MAX_LAYOUT_CHARS:
        return _tidy(html_entities.unescape(_TAG.sub(" ", html)))
    root = etree.fromstring(html.encode("utf-8", "replace"), _PARSER)
    if root is None:  # nothing but comments or space
        return ""
    writer = _TextWriter()
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            writer.start(tag.lower(), element.get)
            text = element.text or ""
            writer.data(text[1:] if tag == "pre" and text.startswith("\n") else text)
        else:
            writer.end(tag.lower())
            writer.data(element.tail or "")
    return _tidy("".join(writer.out))
