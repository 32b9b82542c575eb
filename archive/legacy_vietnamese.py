"""Vietnamese typed in the pre-Unicode TCVN3 (ABC, `.VnTime` fonts) and VNI (`VNI-Times`)
encodings, found by its signature and converted to Unicode NFC.

Such text reaches us as Latin-1 look-alikes: `B¸o c¸o sè liÖu` (TCVN3) or `Baùo caùo soá
lieäu` (VNI) for `Báo cáo số liệu`. A word is evidence for an encoding when it is not a
Vietnamese syllable as it stands but becomes one once converted; a word the encoding cannot
turn into a syllable is evidence against. Lines are judged one by one, so a Unicode greeting
above a pasted TCVN3 paragraph stays as it is, and text in any other language is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Literal

from archive.syllables import is_syllable

Encoding = Literal["tcvn3", "vni"]
ENCODINGS: tuple[Encoding, ...] = ("tcvn3", "vni")
NAMES: dict[Encoding, str] = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}

# TCVN3 (TCVN 5712:1993, the VN3 set of the ABC fonts): one byte per letter, shown here as
# the Latin-1 character of that byte. It has no capitals with tone marks: headings use the
# same bytes in a capitals font (`.VnTimeH`), which draws them upright.
_TCVN3_ROWS = (
    ("\xa1\xa2\xa3\xa4\xa5\xa6\xa7", "ĂÂÊÔƠƯĐ"),
    ("\xa8\xa9\xaa\xab\xac\xad\xae", "ăâêôơưđ"),
    ("\xb5\xb6\xb7\xb8\xb9", "àảãáạ"),
    ("\xbb\xbc\xbd\xbe\xc6", "ằẳẵắặ"),
    ("\xc7\xc8\xc9\xca\xcb", "ầẩẫấậ"),
    ("\xcc\xce\xcf\xd0\xd1", "èẻẽéẹ"),
    ("\xd2\xd3\xd4\xd5\xd6", "ềểễếệ"),
    ("\xd7\xd8\xdc\xdd\xde", "ìỉĩíị"),
    ("\xdf\xe1\xe2\xe3\xe4", "òỏõóọ"),
    ("\xe5\xe6\xe7\xe8\xe9", "ồổỗốộ"),
    ("\xea\xeb\xec\xed\xee", "ờởỡớợ"),
    ("\xef\xf1\xf2\xf3\xf4", "ùủũúụ"),
    ("\xf5\xf6\xf7\xf8\xf9", "ừửữứự"),
    ("\xfa\xfb\xfc\xfd\xfe", "ỳỷỹýỵ"),
)
TCVN3 = {
    code: letter
    for codes, letters in _TCVN3_ROWS
    for code, letter in zip(codes, letters, strict=True)
}

# VNI for Windows: a letter, then a mark character for its tone (and hat or breve); a few
# letters are one character of their own. Tone marks are in the order huyền, sắc, hỏi, ngã,
# nặng; `ô` and `ö` alone are ơ and ư, and take the tone marks like any vowel.
_TONES = "øùûõï"
_VNI_PAIRS = (
    ("a", _TONES, "àáảãạ"),
    ("a", "àáåãäâ", "ầấẩẫậâ"),
    ("a", "èéúüëê", "ằắẳẵặă"),
    ("e", _TONES, "èéẻẽẹ"),
    ("e", "àáåãäâ", "ềếểễệê"),
    ("o", _TONES, "òóỏõọ"),
    ("o", "àáåãäâ", "ồốổỗộô"),
    ("ô", _TONES, "ờớởỡợ"),
    ("u", _TONES, "ùúủũụ"),
    ("ö", _TONES, "ừứửữự"),
    ("y", _TONES[:4], "ỳýỷỹ"),
)
_VNI_SINGLES = dict(zip("ñôöìíæóòî", "đơưìíỉĩịỵ", strict=True))
VNI: dict[str, str] = {
    **{f"{base}{mark}": letter for base, marks, letters in _VNI_PAIRS
       for mark, letter in zip(marks, letters, strict=True)},
    **_VNI_SINGLES,
}  # fmt: skip
VNI.update({key.upper(): letter.upper() for key, letter in list(VNI.items())})
_VNI_BASES = frozenset(key[0] for key in VNI if len(key) == 2)
_VNI_MARKS = frozenset(key[1] for key in VNI if len(key) == 2)

_CHARS: dict[Encoding, frozenset[str]] = {
    "tcvn3": frozenset(TCVN3),
    "vni": frozenset(char for key in VNI for char in key if not char.isascii()),
}
_ANY = re.compile("[" + re.escape("".join(_CHARS["tcvn3"] | _CHARS["vni"])) + "]")
# Words: letters and every Latin-1 character after the no-break space, since TCVN3 uses its
# symbols as letters (`¸` is á, `µ` is à); so `Iï¿½m`, UTF-8 read as Latin-1, is one word,
# and not one the encodings can read.
_WORD = re.compile(r"(?:[^\W\d_]|[\u00a1-\u00ff])+")
_LINE_BEYOND_ASCII = re.compile(r"^.*[^\x00-\x7f].*$", re.MULTILINE)
MIN_EVIDENCE = 3  # words that only the encoding makes Vietnamese, in the whole text


@dataclass(frozen=True, slots=True)
class Converted:
    text: str
    encoding: Encoding | None  # None when nothing was converted


def convert(text: str, encoding: Encoding, capitals: bool = False) -> str:
    """Every character of `encoding` in `text` as the Unicode letter it stands for (NFC);
    `capitals` for TCVN3 text set in a capitals font (`.VnTimeH`)."""
    if encoding == "tcvn3":
        converted = "".join(TCVN3.get(char, char) for char in text)
        return unicodedata.normalize("NFC", converted.upper() if capitals else converted)
    return _from_vni(text)[0]


def _from_vni(text: str) -> tuple[str, bool]:
    """The VNI text in Unicode (NFC), and whether a tone mark stood after no vowel."""
    out: list[str] = []
    stray = False
    index = 0
    while index < len(text):
        char = text[index]
        if char in _VNI_BASES and index + 1 < len(text):
            mark = text[index + 1]
            letter = VNI.get(char + (mark.upper() if char.isupper() else mark.lower()))
            if letter is not None:  # the letter's case is the base's: `Aù` is Á
                out.append(letter)
                index += 2
                continue
        stray = stray or char in _VNI_MARKS
        out.append(VNI.get(char, char))
        index += 1
    return unicodedata.normalize("NFC", "".join(out)), stray


def font_encoding(font: str) -> tuple[Encoding, bool] | None:
    """(encoding, capitals) of a font name: `.VnTime`, `.VnArialH` (capitals) are TCVN3,
    `VNI-Times` is VNI; None for any other font."""
    name = font.strip()
    if name.lower().startswith(".vn"):
        return "tcvn3", name.endswith("H")
    if name.lower().startswith("vni-") or name.lower().startswith("vni "):
        return "vni", False
    return None


def telling_words(text: str) -> list[str]:
    """The words of `text` with a character beyond ASCII, in order: the only ones that can
    tell an encoding. (Words do not cross lines, so only the lines with such a character are
    split into words: an HTML part of English mail has few.)"""
    beyond_ascii = "\n".join(_LINE_BEYOND_ASCII.findall(text))
    return [word for word in _WORD.findall(beyond_ascii) if not word.isascii()]


def to_unicode(text: str) -> Converted:
    """`text` with its TCVN3 or VNI lines converted, when the text shows enough evidence of
    one of them; otherwise unchanged."""
    if len(list(islice(_ANY.finditer(text), MIN_EVIDENCE))) < MIN_EVIDENCE:
        return Converted(text, None)  # too few such characters to tell: nearly all mail
    telling = telling_words(text)
    lines = text.splitlines(keepends=True)
    best: tuple[int, Encoding, list[bool]] | None = None
    for encoding in ENCODINGS:
        if sum(_vote(word, encoding) > 0 for word in telling) < MIN_EVIDENCE:
            continue  # most text: no need to judge it line by line
        found = _lines_to_convert(lines, encoding)
        if found is not None and (best is None or found[0] > best[0]):
            best = (found[0], encoding, found[1])
    if best is None:
        return Converted(text, None)
    _, encoding, wanted = best
    out = [
        _convert_line(line, encoding) if keep else line
        for line, keep in zip(lines, wanted, strict=True)
    ]
    return Converted("".join(out), encoding)


def _lines_to_convert(lines: list[str], encoding: Encoding) -> tuple[int, list[bool]] | None:
    """(evidence, which lines to convert), or None when the text is not in `encoding`.

    A line is converted when most of its telling words speak for the encoding; lines with no
    telling word either way are converted too when nothing in the text speaks against it."""
    scores = [_score(line, encoding) for line in lines]
    legacy = [votes_for >= 1 and votes_for >= 3 * against for votes_for, against in scores]
    evidence = sum(
        votes_for for (votes_for, _), is_legacy in zip(scores, legacy, strict=True) if is_legacy
    )
    if evidence < MIN_EVIDENCE:
        return None
    pure = all(
        is_legacy or against == 0 for (_, against), is_legacy in zip(scores, legacy, strict=True)
    )
    neutral = [votes == (0, 0) and pure for votes in scores]
    return evidence, [a or b for a, b in zip(legacy, neutral, strict=True)]


def _score(line: str, encoding: Encoding) -> tuple[int, int]:
    """(words for, words against) the line being in `encoding`."""
    votes_for = against = 0
    for word in _WORD.findall(line):
        vote = _vote(word, encoding)
        votes_for += vote > 0
        against += vote < 0
    return votes_for, against


@lru_cache(maxsize=65_536)
def _vote(word: str, encoding: Encoding) -> int:
    """+1 when only `encoding` makes `word` Vietnamese, -1 when it cannot, 0 when it does
    not tell (no code of the encoding, no ASCII letter, or a syllable either way)."""
    chars = _CHARS[encoding]
    if word.isascii():
        return 0
    if any(not c.isascii() and c not in chars for c in word):
        return -1  # a letter the encoding does not have: Unicode Vietnamese, or another language
    converted, stray = _from_vni(word) if encoding == "vni" else (convert(word, encoding), False)
    if not any(c.isascii() for c in word):
        return 0
    if stray or not (_well_cased(word) and is_syllable(converted.lower())):
        return -1  # not a syllable, or a VNI tone mark with no vowel before it
    return 0 if is_syllable(word) else 1


def _well_cased(word: str) -> bool:
    """`viÖt`, `ViÖt` and `VIÖT`, judged by the ASCII letters (TCVN3 capitals fonts use the
    small letters' codes); not `vIÖt`."""
    letters = "".join(c for c in word if c.isascii() and c.isalpha())
    return len(letters) < 2 or letters.islower() or letters.isupper() or letters.istitle()


def _convert_line(line: str, encoding: Encoding) -> str:
    """A TCVN3 line whose ASCII letters are all capitals was set in a capitals font."""
    letters = [c for c in line if c.isascii() and c.isalpha()]
    capitals = encoding == "tcvn3" and len(letters) >= 2 and all(c.isupper() for c in letters)
    return convert(line, encoding, capitals)
