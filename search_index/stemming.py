"""English stemming, kept apart from the Vietnamese analysis: `addition` finds `additions`.

Only words in Latin script that cannot be Vietnamese syllables are stemmed (Snowball's
English stemmer, through Whoosh's own analysis), and only when the stem differs from the
word: the `text_stem` field holds those stems alone, so it stays small and Vietnamese text
adds nothing to it. A query word then matches its own form in `text` as before, its stem in
`text_stem` (other inflections) and the stem as a word of its own in `text` (`runs` finds
`run`), both at a lower boost: exact and folded forms rank first.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from whoosh import query as wq
from whoosh.analysis import Composable, Filter, Token
from whoosh.lang import stemmer_for_language

from archive.syllables import is_syllable
from search_index.analysis import LengthFilter, NormalizingTokenizer, fold_word

STEM_FIELD = "text_stem"
STEM_BOOST = 0.25  # an inflection found by its stem ranks below the word as typed
MIN_LENGTH = 3  # shorter words are not worth stemming (and are often Vietnamese)

_stem = stemmer_for_language("en")


@functools.lru_cache(maxsize=50_000)
def english_stem(word: str) -> str | None:
    """The English stem of a lowercase word, or None when it is not stemmed: not plain
    Latin letters, too short, a possible Vietnamese syllable, or its own stem."""
    if len(word) < MIN_LENGTH or not (word.isascii() and word.isalpha()) or is_syllable(word):
        return None
    stem: str = _stem(word)
    return stem if stem != word else None


class EnglishStemFilter(Filter):  # type: ignore[misc]
    """Keeps only the words that have an English stem of their own, as that stem."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            stem = english_stem(token.text)
            if stem is not None:
                token.text = stem
                yield token


def stem_analyzer() -> Composable:
    return NormalizingTokenizer() | LengthFilter() | EnglishStemFilter()


def stem_queries(word: str, field: str = "text") -> list[wq.Query]:
    """What else a query word matches: other inflections of it (by their stem), and the stem
    as a word of its own; nothing for a word with no English stem."""
    stem = english_stem(word)
    if stem is None:
        return []
    return [
        wq.Term(STEM_FIELD, stem, boost=STEM_BOOST),
        wq.Term(field, fold_word(stem), boost=STEM_BOOST),
    ]
