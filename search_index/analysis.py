"""Vietnamese-aware analysers: NFC, lowercase, and a folded form without diacritics (`đ` -> `d`).

Vietnamese is typed several ways: the tone of `hoà` may sit on the o (`hòa`), and `kĩ`, `lí`,
`qui` are as standard as `kỹ`, `lý`, `quy`. The exact form puts every tone where the new rule
does, so both placements are one word; the folded form spells the i/y pairs one way, so
either spelling finds the other, while the exact form still ranks the typed one first.
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
from archive.syllables import canonical_tones

# Letters and digits: "du-thao.docx", "an@example.org" and "3.5" are several words each, so
# `docx` or `example` alone find them, and `"3.5"` or `from:an@example.org` are phrases.
WORD = re.compile(r"\w+")
MAX_WORD = 40  # longer "words" are hashes, base64 or uuencoded junk: not worth indexing
# Consonants after which a lone i and a lone y are both standard spellings of one syllable
# (`kĩ`/`kỹ`, `lí`/`lý`, `mĩ`/`mỹ`, `sĩ`/`sỹ`, `tỉ`/`tỷ`, `hi`/`hy`, `qui`/`quy`). Elsewhere
# they are different words (`tai`/`tay`, `tui`/`tuy`) or only one is a word: never merged.
_I_OR_Y_AFTER = frozenset({"h", "k", "l", "m", "s", "t", "qu"})


def _one_spelling(folded: str) -> str:
    """`ki`/`ky` -> `ky`: the i/y pairs spelled one way (the legal texts' way)."""
    if folded[-1:] == "i" and folded[:-1] in _I_OR_Y_AFTER:
        return folded[:-1] + "y"
    return folded


@functools.lru_cache(maxsize=200_000)
def _fold_cached(word: str) -> str:
    return _one_spelling(fold(word))


def fold_word(word: str) -> str:
    """The folded form of one normalised word: no diacritics, one spelling of i/y pairs."""
    if word.isascii():
        return _one_spelling(word) if len(word) <= 3 else word
    return _fold_cached(word)


def exact_form(word: str) -> str:
    """One normalised word with its tone where the new rule puts it (`hòa` -> `hoà`)."""
    return word if word.isascii() else canonical_tones(word)


def words(text: str) -> list[str]:
    """The exact words of `text` (NFC, lowercase, tones placed by the new rule), as the
    exact analyser indexes them."""
    return [exact_form(w) for w in WORD.findall(normalize(text)) if len(w) <= MAX_WORD]


def has_marks(word: str) -> bool:
    """True when the exact form of a word means more than its fold: it carries diacritics
    (or `đ`), or it is one spelling of an i/y pair (`qui` is not `quy` as typed)."""
    return fold_word(word) != word or _is_i_or_y(word)


def _is_i_or_y(word: str) -> bool:
    return len(word) <= 3 and word[-1:] in ("i", "y") and word[:-1] in _I_OR_Y_AFTER


class NormalizingTokenizer(RegexTokenizer):  # type: ignore[misc]
    """Tokenizes the NFC, lowercased text, so NFD input and any case give the same words.

    A message's text goes to several fields (folded, exact, pairs, stems), each analysed on
    its own: the words of the last text tokenized are kept, and the next field given that
    same text reads them again rather than tokenizing it anew."""

    def __init__(self) -> None:
        super().__init__(WORD)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        start_pos: int = 0,
        tokenize: bool = True,
        **kwargs: Any,
    ) -> Iterator[Token]:
        if chars or not tokenize or kwargs.get("keeporiginal"):  # Whoosh's own, with offsets
            return super().__call__(  # type: ignore[no-any-return]
                normalize(value), positions, chars, start_pos=start_pos, tokenize=tokenize, **kwargs
            )
        return _tokens(_words_of(value), positions, start_pos, kwargs)


_last_words: tuple[str, list[str]] = ("", [])


def _words_of(value: str) -> list[str]:
    """The words of `value` (normalised, as the regular expression finds them), the last
    text's kept for the next field that reads the same string."""
    global _last_words  # noqa: PLW0603 - one entry, replaced whole: safe across threads
    text, found = _last_words
    if text is not value:
        found = WORD.findall(normalize(value))
        _last_words = (value, found)
    return found


def _tokens(
    found: list[str], positions: bool, start_pos: int, kwargs: dict[str, Any]
) -> Iterator[Token]:
    token = Token(positions, False, **kwargs)
    for pos, text in enumerate(found, start_pos):
        token.text = text
        token.boost = 1.0
        token.stopped = False
        if positions:
            token.pos = pos
        yield token


class LengthFilter(Filter):  # type: ignore[misc]
    """Drops overlong tokens; positions still count them, so phrases stay honest."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if len(token.text) <= MAX_WORD:
                yield token


class MarkedFilter(Filter):  # type: ignore[misc]
    """Keeps only words whose exact form says more than their fold (diacritics, an i/y
    spelling), with tones placed by the new rule: the exact field needs no copy of the
    others, which the folded field already holds (it halves the work on unaccented text)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if text.isascii():
                if _is_i_or_y(text):
                    yield token
            elif _fold_cached(text) != text:
                token.text = canonical_tones(text)
                yield token


class FoldFilter(Filter):  # type: ignore[misc]
    """Replaces each token with its folded form (`đăng` -> `dang`, `kĩ` -> `ky`)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if not text.isascii():
                token.text = _fold_cached(text)
            elif len(text) <= 3:
                token.text = _one_spelling(text)
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
            folded = fold_word(text)
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
