"""Make mail HTML inert for display (bleach allow-list), within a budget of size, nesting
and time: bleach's html5lib takes quadratic time on deep or misnested markup."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from html import escape
from typing import Any

import bleach
import markdown
from bleach.css_sanitizer import CSSSanitizer

from archive.budget import MIB, Limits, OverBudget
from archive.html_text import DROPPED_WITH_CONTENT as _DROPPED_WITH_CONTENT
from archive.html_text import html_to_text
from archive.kept_child import run_kept

__all__ = ["HtmlOverBudget", "html_to_text", "markdown_to_html", "sanitize_html", "text_as_html"]

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

MAX_HTML_CHARS = MIB // 2  # the largest HTML in our corpus of real mail is 131 KB
MAX_HTML_DEPTH = 256  # as libxml2 and browsers' own limits; real mail nests to about 70
# With fewer markup characters ('<' and '&') than this, bleach's worst case stays under about
# half a second, so it runs here; more go to a kept child process, stopped at its budget.
IN_PROCESS_MARKUP = 2000
HTML_LIMITS = Limits(seconds=4.0, memory_bytes=768 * MIB)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr", "keygen"}
)
_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})  # <li>a<li>b
_TAG_OPEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")


class HtmlOverBudget(OverBudget):
    """The HTML is too large, too deeply nested or too slow to sanitise; show it as text."""


def sanitize_html(html: str) -> str:
    """HTML safe to embed in our pages: no scripts, handlers, remote loads or dangerous URLs.

    Raises HtmlOverBudget (with its reason) instead of working past the budget."""
    check_html_budget(html)
    if html.count("<") + html.count("&") <= IN_PROCESS_MARKUP:
        return _clean(html)
    data = html.encode("utf-8", "surrogatepass")
    try:
        cleaned = run_kept("archive.sanitize:clean_bytes", data, HTML_LIMITS)
    except OverBudget as error:
        raise HtmlOverBudget(f"sanitising the HTML {error.reason}") from error
    return cleaned.decode("utf-8", "surrogatepass")


def check_html_budget(html: str) -> None:
    """Refuse, in linear time, HTML whose size or nesting alone would take too long."""
    if len(html) > MAX_HTML_CHARS:
        raise HtmlOverBudget(f"HTML larger than {MAX_HTML_CHARS // 1024} KiB")
    if nesting_depth(html, MAX_HTML_DEPTH) > MAX_HTML_DEPTH:
        raise HtmlOverBudget(f"HTML nested more than {MAX_HTML_DEPTH} elements deep")


def nesting_depth(html: str, stop_above: int) -> int:
    """How deep the elements nest, as a browser would open them (closely enough: tags in
    comments count too). Linear: each element is pushed and popped once."""
    stack: list[str] = []
    open_names: Counter[str] = Counter()
    deepest = 0
    for match in _TAG_OPEN.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID:
            continue
        if closing:
            while open_names[name] and stack:
                open_names[top := stack.pop()] -= 1
                if top == name:
                    break
            continue
        if name in _SIBLINGS and stack and stack[-1] == name:
            open_names[stack.pop()] -= 1
        stack.append(name)
        open_names[name] += 1
        deepest = max(deepest, len(stack))
        if deepest > stop_above:
            break
    return deepest


def clean_bytes(data: bytes) -> bytes:
    """sanitize_html's work on UTF-8, for a child process (see archive.budget)."""
    return _clean(data.decode("utf-8", "surrogatepass")).encode("utf-8", "surrogatepass")


def _clean(html: str) -> str:
    cleaner: bleach.Cleaner | None = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _new_cleaner()
    return cleaner.clean(html).strip()


# python-markdown's patterns take polynomial time on some text ('[' * 2000: 6 s), so only
# short text with few brackets is rendered here; the rest in a child, within HTML_LIMITS.
MARKDOWN_IN_PROCESS_CHARS = 5000
MARKDOWN_IN_PROCESS_BRACKETS = 200


_CACHED_CHARS = 64 * 1024  # the cache holds at most 128 texts of this size and their HTML


def markdown_to_html(text: str) -> str:
    """Markdown (a web post's text) as sanitised HTML; over budget, the text as paragraphs.
    Web posts are rendered on every view of their thread, so renderings are remembered."""
    return _rendered(text) if len(text) <= _CACHED_CHARS else _render(text)


@lru_cache(maxsize=128)
def _rendered(text: str) -> str:
    return _render(text)


def _render(text: str) -> str:
    try:
        if len(text) <= MARKDOWN_IN_PROCESS_CHARS and text.count("[") <= (
            MARKDOWN_IN_PROCESS_BRACKETS
        ):
            return sanitize_html(_markdown(text))
        data = text.encode("utf-8", "surrogatepass")
        rendered = run_kept("archive.sanitize:markdown_bytes", data, HTML_LIMITS)
        return rendered.decode("utf-8", "surrogatepass")
    except (OverBudget, RecursionError):  # RecursionError: lists nested thousands deep
        return text_as_html(text)


def markdown_bytes(data: bytes) -> bytes:
    """markdown_to_html's work on UTF-8, for a child process (which sanitises in place)."""
    html = _markdown(data.decode("utf-8", "surrogatepass"))
    check_html_budget(html)
    return _clean(html).encode("utf-8", "surrogatepass")


def _markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["extra", "sane_lists"])


def text_as_html(text: str) -> str:
    """Plain text as safe HTML paragraphs: how HTML over budget is shown instead."""
    paragraphs = (part.strip("\n") for part in re.split(r"\n\s*\n", text))
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs if part)
