"""Text cut into Vietnamese syllables with their places, as search sees words: runs of letters.

Anything that is not a letter separates syllables (spaces, `_`, `-`, `.`, digits), and so does a
lower-to-upper change inside a run (`DeThi`). Known words written letter by letter (`M Ậ T`) or
run together (`TUYETMAT`) are put back together or apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache

from archive.folding import fold

_LETTERS = re.compile(r"[^\W\d_]+")
# Between two letters of a word written letter by letter: one space, dot, hyphen or underscore.
# Two spaces end the word ("T U Y Ệ T  M Ậ T").
_SPACING = frozenset(" ._-")
_SHORTEST_SPACED = 3  # letters; shorter runs are initials or list labels ("a b")
_LONGEST_JOINED = 40  # letters tried as known words; longer runs are not marks


@dataclass(frozen=True, slots=True)
class Syllable:
    text: str  # as written (NFC)
    start: int  # offsets in the text given to `syllables`
    end: int
    spaced: bool = False  # written letter by letter
    exact: str = field(init=False)  # case-folded, accents kept: `mật` and `mất` differ
    folded: str = field(init=False)  # no accents, `đ` as `d`: what a plain keyboard types

    def __post_init__(self) -> None:
        object.__setattr__(self, "exact", self.text.casefold())
        object.__setattr__(self, "folded", _fold(self.text))

    @property
    def accented(self) -> bool:
        return self.exact != self.folded

    @property
    def upper(self) -> bool:
        return self.text.isupper()


def syllables(text: str, known: Collection[str] = ()) -> list[Syllable]:
    """The syllables of NFC `text`; `known` (folded words) may be spaced out or run together."""
    pieces = [piece for found in _LETTERS.finditer(text) for piece in _camel_pieces(found)]
    return _rejoin_spaced(text, [_split_run_together(p, known) for p in pieces], known)


@lru_cache(maxsize=4096)
def _fold(word: str) -> str:
    return fold(word)


# Vietnamese accents decompose (NFD) into combining marks U+0300..U+036F; dropping them with one
# `translate` is what `fold` does, at C speed, for whole lines that are only being looked over.
_UNMARK = {mark: None for mark in range(0x300, 0x370)} | {ord("đ"): "d", ord("Đ"): "D"}


def quick_fold(text: str) -> str:
    """`fold` for long text: accents and `đ` removed, lower-cased."""
    return unaccented(text).lower()


def unaccented(text: str) -> str:
    """Accents and `đ` removed, case kept."""
    return unicodedata.normalize("NFD", text).translate(_UNMARK)


# A Vietnamese syllable, unaccented: an onset, one to three vowels, a coda from a short list.
# English words mostly fail it (file, data, report); short ones (the, to) pass.
_VIETNAMESE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?"
)


def looks_vietnamese(folded: str) -> bool:
    """Whether a folded word could be one Vietnamese syllable (`hop`, `giao`; not `file`)."""
    return _VIETNAMESE.fullmatch(folded) is not None


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _camel_pieces(found: re.Match[str]) -> list[Syllable]:
    word, offset = found.group(), found.start()
    if word[1:].islower() or word.isupper():
        return [Syllable(word, offset, offset + len(word))]
    cuts = [0] + [i for i in range(1, len(word)) if word[i - 1].islower() and word[i].isupper()]
    cuts.append(len(word))
    return [
        Syllable(word[a:b], offset + a, offset + b) for a, b in zip(cuts, cuts[1:], strict=False)
    ]


def _split_run_together(piece: Syllable, known: Collection[str]) -> list[Syllable]:
    """`TUYETMAT` as `TUYET` + `MAT` when it is made of two or more known words only."""
    if not _SHORTEST_SPACED < len(piece.text) <= _LONGEST_JOINED:
        return [piece]
    parts = _segment(piece.folded, known)
    if not parts or len(parts) < 2 or len(piece.folded) != len(piece.text):
        return [piece]
    found: list[Syllable] = []
    at = 0
    for part in parts:
        found.append(
            Syllable(
                piece.text[at : at + len(part)], piece.start + at, piece.start + at + len(part)
            )
        )
        at += len(part)
    return found


def _rejoin_spaced(
    text: str, groups: list[list[Syllable]], known: Collection[str]
) -> list[Syllable]:
    flat = [s for group in groups for s in group]
    result: list[Syllable] = []
    index = 0
    while index < len(flat):
        end = index
        while (
            end + 1 < len(flat)
            and len(flat[end].text) == 1
            and len(flat[end + 1].text) == 1
            and text[flat[end].end : flat[end + 1].start] in _SPACING
        ):
            end += 1
        run = flat[index : end + 1]
        joined = (
            _spaced_word(run, known) if _SHORTEST_SPACED <= len(run) <= _LONGEST_JOINED else None
        )
        result.extend(joined or run)
        index = end + 1
    return result


def _spaced_word(run: list[Syllable], known: Collection[str]) -> list[Syllable] | None:
    """A run of single letters that spells known words, as those words (still spaced)."""
    letters = "".join(s.text for s in run)
    parts = _segment(fold(letters), known)
    if not parts or len(fold(letters)) != len(run):
        return None
    words: list[Syllable] = []
    at = 0
    for part in parts:
        chunk = run[at : at + len(part)]
        words.append(
            Syllable("".join(s.text for s in chunk), chunk[0].start, chunk[-1].end, spaced=True)
        )
        at += len(part)
    return words


def _segment(word: str, known: Collection[str]) -> list[str] | None:
    """`word` as a sequence of known words, or None (shortest words are tried last)."""
    if not word:
        return []
    for candidate in sorted(known, key=len, reverse=True):
        if word.startswith(candidate):
            rest = _segment(word[len(candidate) :], known)
            if rest is not None:
                return [candidate, *rest]
    return None
