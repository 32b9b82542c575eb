"""Vietnamese-aware text folding: the form a diacritic-free query is matched against."""

from __future__ import annotations

import unicodedata

_STROKED = str.maketrans({"đ": "d", "Đ": "D"})


def normalize(text: str) -> str:
    """NFC and lowercase: the exact form, so `bán`, `bàn` and `ban` stay different words."""
    return unicodedata.normalize("NFC", text).lower()


def fold(text: str) -> str:
    """Remove diacritics (tones and vowel marks), map `đ` to `d`, lowercase."""
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKED))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()
