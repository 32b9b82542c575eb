"""Vietnamese syllables: onset, vowel cluster and final consonant, where the tone mark goes,
and whether a word is a syllable at all (legacy-encoding detection asks that of every word)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Combining tone marks: huyền, sắc, ngã, hỏi, nặng.
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
LETTERS = frozenset("aăâbcdđeêghiklmnoôơpqrstuưvxy")
VOWELS = frozenset("aăâeêioôơuưy")
_QUALITY = frozenset("ăâêôơư")  # vowels with a mark of their own: the tone sits on them
# Longest first, so `ngh` wins over `ng` and `ng` over `n`.
_ONSETS = (
    *("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr"),
    *("b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x"),
)
_CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")
_STOPS = frozenset({"c", "ch", "p", "t"})  # after these only sắc or nặng, never no tone
# Vowel clusters of open syllables (ending in a vowel or a glide), and of closed ones.
_OPEN = frozenset(
    {
        *("a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"),
        *("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oa", "oe", "oi", "ôi"),
        *("ơi", "ua", "uê", "ui", "uy", "ưa", "ưi", "ưu", "uơ"),
        *("iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyu"),
    }
)
_CLOSED = frozenset(
    {
        *("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"),
        *("iê", "yê", "uô", "ươ", "oa", "oă", "oe", "uâ", "uê", "uy", "oo", "uyê"),
    }
)
_OLD_STYLE = frozenset({"oa", "oe", "uy"})  # open: `hòa` (old) or `hoà` (new) placement
_FRONT = frozenset("ieêy")  # `k`, `gh` and `ngh` only before these; `c`, `g`, `ng` never


@dataclass(frozen=True, slots=True)
class Syllable:
    """A syllable's parts, lowercase and without the tone; `tone` is its combining mark."""

    onset: str
    nucleus: str
    coda: str
    tone: str  # "" for the level tone


def _letters(word: str) -> tuple[list[str], list[str]] | None:
    """Each letter without its tone, and each letter's tone ("" for none); None when a
    letter carries something else than a Vietnamese mark."""
    bases: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char):
            if not bases:
                return None
            if char in TONE_MARKS:
                if tones[-1]:
                    return None
                tones[-1] = char
            else:
                bases[-1] = unicodedata.normalize("NFC", bases[-1] + char)
        else:
            bases.append(char)
            tones.append("")
    return bases, tones


@lru_cache(maxsize=65_536)
def parse(word: str) -> Syllable | None:
    """The parts of `word` when it is one well-formed Vietnamese syllable, else None."""
    found = _letters(word)
    if found is None:
        return None
    bases, tones = found
    marked = [tone for tone in tones if tone]
    letters = "".join(bases).lower()
    if len(marked) > 1 or not letters or not set(letters) <= LETTERS:
        return None
    split = _split(letters)
    if split is None:
        return None
    onset, nucleus, coda = split
    tone = marked[0] if marked else ""
    if coda in _STOPS and tone not in ("\u0301", "\u0323"):
        return None
    return Syllable(onset, nucleus, coda, tone)


def _split(letters: str) -> tuple[str, str, str] | None:
    onset = next((o for o in _ONSETS if letters.startswith(o)), "")
    if onset == "gi" and (len(letters) == 2 or letters[2] not in VOWELS):
        onset = "g"  # `gì`, `gìn`: the i is the vowel
    rest = letters[len(onset) :]
    coda = next((c for c in _CODAS if rest.endswith(c) and len(rest) > len(c)), "")
    nucleus = rest[: len(rest) - len(coda)]
    return (onset, nucleus, coda) if _spelled_right(onset, nucleus, coda) else None


def _spelled_right(onset: str, nucleus: str, coda: str) -> bool:
    """A vowel cluster that exists with this ending, and the onset spelled as it must be
    before it (`ki`, `ghi`, `nghe`; never `ci`, `ge`, `ngi`)."""
    if not nucleus or not set(nucleus) <= VOWELS:
        return False
    if nucleus not in (_CLOSED if coda else _OPEN):
        return False
    if coda in ("ch", "nh") and nucleus[-1] not in "aêiy":
        return False
    first = nucleus[0]
    if onset in ("k", "gh", "ngh"):
        return first in _FRONT
    if onset in ("c", "ng"):
        return first not in _FRONT
    return not (onset == "g" and first in "eê")


def is_syllable(word: str) -> bool:
    return parse(word) is not None


def tone_position(syllable: Syllable) -> int:
    """Where the tone goes within the nucleus, by the new rule (`hoà`, `thuỷ`, `khoẻ`)."""
    nucleus = syllable.nucleus
    if "ơ" in nucleus:
        return nucleus.index("ơ")  # `ươ`, `uơ`: on the ơ
    marked = [i for i, vowel in enumerate(nucleus) if vowel in _QUALITY]
    if marked:
        return marked[-1]
    if len(nucleus) == 1 or syllable.coda or nucleus in _OLD_STYLE:
        return len(nucleus) - 1
    return 1 if len(nucleus) == 3 else 0


@lru_cache(maxsize=200_000)
def canonical_tones(word: str) -> str:
    """`word` (NFC) with its tone mark where the new rule puts it: `hòa` and `hoà` both give
    `hoà`, `Thủy` gives `Thuỷ`, `quý` stays; case is kept. Anything that is not one
    Vietnamese syllable (`café`, `résumé`, `hoàbình`) comes back unchanged."""
    syllable = parse(word)
    if syllable is None or not syllable.tone:
        return word
    found = _letters(word)
    assert found is not None  # noqa: S101 - parse() has read it already
    bases, tones = found
    target = len(syllable.onset) + tone_position(syllable)
    if tones[target] == syllable.tone:
        return word
    tones = ["" for _ in tones]
    tones[target] = syllable.tone
    return unicodedata.normalize("NFC", "".join(b + t for b, t in zip(bases, tones, strict=True)))
