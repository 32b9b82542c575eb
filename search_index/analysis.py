"""Vietnamese-aware analysers: NFC, lowercase, and a folded form without diacritics (`đ` -> `d`).

The index and the query side share `words` and `fold_word`, so a query word is always turned
into exactly the terms the analysers put in the index.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Composable, Filter, RegexTokenizer, Token

from archive.folding import fold, normalize

# Letters and digits: "du-thao.docx", "an@example.org" and "3.5" are several words each, so
# `docx` or `example` alone find them, and `"3.5"` or `from:an@example.org` are phrases.
WORD = re.compile(r"\w+")
MAX_WORD = 40  # longer "words" are hashes, base64 or uuencoded junk: not worth indexing


@functools.lru_cache(maxsize=200_000)
def _fold_cached(word: str) -> str:
    return fold(word)


def fold_word(word: str) -> str:
    """The folded form of one normalised word (ASCII words are their own fold)."""
    return word if word.isascii() else _fold_cached(word)


def words(text: str) -> list[str]:
    """The exact words of `text` (NFC, lowercase), as the exact analyser indexes them."""
    return [w for w in WORD.findall(normalize(text)) if len(w) <= MAX_WORD]


def has_marks(word: str) -> bool:
    """True when the word carries diacritics (or `đ`), so its exact form means something."""
    return fold_word(word) != word


class NormalizingTokenizer(RegexTokenizer):  # type: ignore[misc]
    """Tokenizes the NFC, lowercased text, so NFD input and any case give the same words."""

    def __init__(self) -> None:
        super().__init__(WORD)

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]:
        tokens: Iterator[Token] = super().__call__(normalize(value), **kwargs)
        return tokens


class LengthFilter(Filter):  # type: ignore[misc]
    """Drops overlong tokens; positions still count them, so phrases stay honest."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if len(token.text) <= MAX_WORD:
                yield token


class MarkedFilter(Filter):  # type: ignore[misc]
    """Keeps only words with diacritics: the exact field needs no copy of the others, which
    the folded field already holds as they are (it halves the work on unaccented text)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if not text.isascii() and _fold_cached(text) != text:
                yield token


class FoldFilter(Filter):  # type: ignore[misc]
    """Replaces each token with its folded form (`đăng` -> `dang`)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if not text.isascii():
                token.text = _fold_cached(text)
            yield token


class PairFilter(Filter):  # type: ignore[misc]
    """Each word joined to the next, folded (`giáo dục` -> `giao duc`): most Vietnamese words
    are two syllables, so a pair typed together is a word, and one term is far cheaper to
    look up than a phrase. Only pairs with a non-ASCII word are kept: Vietnamese text has
    them nearly everywhere, English text nearly nowhere (it would double the index)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        previous, previous_ascii = "", True
        for token in tokens:
            text = token.text
            is_ascii = text.isascii()
            folded = text if is_ascii else _fold_cached(text)
            if previous and not (is_ascii and previous_ascii):
                token.text = pair(previous, folded)
                yield token
            previous, previous_ascii = folded, is_ascii


def pair(first: str, second: str) -> str:
    return f"{first} {second}"


def exact_analyzer() -> Composable:
    return NormalizingTokenizer() | LengthFilter() | MarkedFilter()


def folded_analyzer() -> Composable:
    return NormalizingTokenizer() | LengthFilter() | FoldFilter()


def pair_analyzer() -> Composable:
    return NormalizingTokenizer() | LengthFilter() | PairFilter()
