"""Snippets and highlights as plain data: `(text, is_match)` fragments. The page escapes
every fragment and wraps the matches, so nothing from a message can ever become markup."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from archive.folding import normalize
from search_index.analysis import WORD, fold_word

SNIPPET_WIDTH = 240
SNIPPET_SCAN = 30_000  # characters of a message scanned for the best snippet
CLEAN_MARGIN = 100  # more than the longest address that `clean` may have to see whole

Fragments = tuple[tuple[str, bool], ...]


def snippet(
    text: str,
    wanted: frozenset[str],
    width: int = SNIPPET_WIDTH,
    clean: Callable[[str], str] | None = None,
) -> Fragments:
    """About `width` characters of `text` around the most matches of the (folded) `wanted`
    words, as fragments; the start of the text when nothing matches. `clean` (hiding
    addresses, say) is applied to the neighbourhood of the snippet only: it may be slow."""
    text = " ".join(normalize_nfc(text[:SNIPPET_SCAN]).split())
    before = after = False
    if clean is not None:
        start, end = _window(text, _matches(text, wanted), width + 2 * CLEAN_MARGIN)
        before, after = start > 0, end < len(text)
        text = clean(text[start:end])
    spans = _matches(text, wanted)
    start, end = _window(text, spans, width)
    inside = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    fragments = list(mark(text[start:end], inside))
    if before or start > 0:
        fragments.insert(0, ("… ", False))
    if after or end < len(text):
        fragments.append((" …", False))
    return tuple(fragments)


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """About `width` characters around the most matches, cut at spaces."""
    start = max(0, _best_start(spans, width) - width // 6)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    return start, end


def highlight(text: str, wanted: frozenset[str]) -> Fragments:
    """All of a short text (a subject), with every match marked."""
    text = normalize_nfc(text)
    return tuple(mark(text, _matches(text, wanted)))


def mark(text: str, spans: list[tuple[int, int]]) -> Fragments:
    fragments: list[tuple[str, bool]] = []
    at = 0
    for start, end in spans:
        if start > at:
            fragments.append((text[at:start], False))
        fragments.append((text[start:end], True))
        at = end
    if at < len(text):
        fragments.append((text[at:], False))
    return tuple(fragments)


def normalize_nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def match_count(text: str, wanted: frozenset[str]) -> int:
    """How many of the (folded) `wanted` words `text` holds, in its first SNIPPET_SCAN."""
    return len(_matches(text[:SNIPPET_SCAN], wanted))


def _matches(text: str, wanted: frozenset[str]) -> list[tuple[int, int]]:
    if not wanted:
        return []
    folds: dict[str, str] = {}  # each different word folded once: most words come again
    spans = []
    for match in WORD.finditer(text):
        word = match.group()
        folded = folds.get(word)
        if folded is None:
            folded = folds[word] = fold_word(normalize(word))
        if folded in wanted:
            spans.append(match.span())
    return spans


def _best_start(spans: list[tuple[int, int]], width: int) -> int:
    """The start of the match after which the most matches fit in `width` characters."""
    best, best_count, last = 0, 0, 0
    for first, (start, _) in enumerate(spans):
        while last < len(spans) and spans[last][1] <= start + width:
            last += 1
        if last - first > best_count:
            best, best_count = start, last - first
    return best
