"""Make mail HTML inert for display (bleach allow-list) and turn HTML into plain text."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import Any

import bleach
from bleach.css_sanitizer import CSSSanitizer

Token = dict[str, Any]

_TAGS = frozenset(
    {
        *("a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption"),
        *("center", "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt"),
        *("em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd"),
        *("li", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong"),
        *("sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul"),
        *("var",),
    }
)
# Let through the sanitiser only so that _inert() can drop them together with their content;
# stripping the tag alone would show a script's source or a stylesheet as text.
_DROPPED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "title", "head", "svg", "math", "template", "noscript"),
        *("object", "embed", "applet", "iframe", "frame", "frameset", "noframes", "xml"),
        *("select", "textarea"),
    }
)
_CELL = ["align", "valign", "colspan", "rowspan", "width", "height"]
_ATTRIBUTES = {
    "*": ["title", "dir", "lang", "style", "align"],
    "a": ["href", "title"],
    "img": ["src", "alt", "width", "height"],
    "td": _CELL,
    "th": _CELL,
    "table": ["border", "cellpadding", "cellspacing", "width", "summary"],
    "col": ["span", "width"],
    "colgroup": ["span", "width"],
    "font": ["color", "face", "size"],
    "ol": ["start", "type"],
}
_PROTOCOLS = frozenset({"http", "https", "mailto", "cid"})
_CSS_PROPERTIES = frozenset(
    {
        *("color", "background-color", "font-weight", "font-style", "font-size"),
        *("font-family", "text-decoration", "text-align", "vertical-align", "white-space"),
        *("margin", "margin-left", "margin-right", "margin-top", "margin-bottom"),
        *("padding", "padding-left", "padding-right", "border", "border-collapse"),
    }
)
# Values that old browsers execute or that fetch from the network.
_CSS_DANGER = re.compile(r"expression|url\s*\(|javascript|behavior|@import|\\", re.IGNORECASE)
_LINK_REL = "nofollow noopener noreferrer"
_IMAGE_KEEP = ((None, "src"), (None, "alt"), (None, "width"), (None, "height"))


class _MailCSSSanitizer(CSSSanitizer):
    """bleach checks property names only; values are checked here too."""

    def sanitize_css(self, style: str) -> str:
        cleaned = super().sanitize_css(style)
        kept = [d.strip() for d in cleaned.split(";") if d.strip() and not _CSS_DANGER.search(d)]
        return "; ".join(kept)


def _inert(source: Iterable[Token]) -> Iterator[Token]:
    """After bleach: drop whole dangerous elements, placehold remote images, mark links."""
    depth = 0
    for token in source:
        name = token.get("name")
        if name in _DROPPED_WITH_CONTENT:
            if token["type"] == "StartTag":
                depth += 1
            elif token["type"] == "EndTag":
                depth = max(depth - 1, 0)
            continue
        if depth:
            continue
        if name == "img" and token["type"] in ("StartTag", "EmptyTag"):
            yield _image(token)
            continue
        if name == "a" and token["type"] == "StartTag":
            token["data"][(None, "rel")] = _LINK_REL
        yield token


def _image(token: Token) -> Token:
    """Inline (cid:) images stay; anything else would be fetched, so it becomes its alt text."""
    data = token["data"]
    if str(data.get((None, "src"), "")).lower().startswith("cid:"):
        token["data"] = {key: data[key] for key in _IMAGE_KEEP if key in data}
        return token
    alt = " ".join(str(data.get((None, "alt"), "")).split())
    return {"type": "Characters", "data": f"[image: {alt}]" if alt else "[image]"}


def _new_cleaner() -> bleach.Cleaner:
    filters: list[Any] = [_inert]  # bleach calls each filter as filter(source=tokens)
    return bleach.Cleaner(
        tags=_TAGS | _DROPPED_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        protocols=_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=filters,
        css_sanitizer=_MailCSSSanitizer(allowed_css_properties=_CSS_PROPERTIES),
    )


_local = threading.local()  # a bleach Cleaner holds parser state: one per thread


def sanitize_html(html: str) -> str:
    """HTML safe to embed in our pages: no scripts, handlers, remote loads or dangerous URLs."""
    cleaner: bleach.Cleaner | None = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _new_cleaner()
    return cleaner.clean(html).strip()


# Outlook's "<![if !supportLists]>" sections make HTMLParser raise; they carry nothing.
_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[).*?\]>", re.DOTALL)
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


class _TextWriter(HTMLParser):
    """Plain text of an HTML mail: blocks on their own lines, blockquotes quoted with "> "."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = [""]
        self.hidden = 0  # depth inside script, style, head...
        self.pre = 0
        self.space = False  # a space is owed before the next word
        self.quotes: list[int] = []  # where each open blockquote's text starts in self.out
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self.hidden += 1
            return
        self._break(tag)
        if tag == "li":
            self.out.append("- ")
        elif tag == "pre":
            self.pre += 1
        elif tag == "blockquote":
            self.quotes.append(len(self.out))
        elif tag == "a":
            self.links.append((len(self.out), dict(attrs).get("href") or ""))
        elif tag == "img":
            alt = " ".join((dict(attrs).get("alt") or "").split())
            self._word(f"[image: {alt}]" if alt else "[image]")
        elif tag in ("td", "th"):
            self.space = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _DROPPED_WITH_CONTENT:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self.hidden = max(self.hidden - 1, 0)
            return
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        elif tag == "blockquote" and self.quotes:
            self._quote(self.quotes.pop())
        elif tag == "a" and self.links:
            self._link(*self.links.pop())
        self._break(tag)

    def handle_data(self, data: str) -> None:
        if self.hidden:
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
    """Readable plain text of an HTML body, for search and for mail without a text part."""
    writer = _TextWriter()
    try:
        writer.feed(_MARKED_SECTION.sub("", html))
        writer.close()
    except AssertionError:  # HTMLParser's reaction to some malformed declarations
        return _tidy(re.sub(r"<[^>]*>", " ", html))
    return _tidy("".join(writer.out))
