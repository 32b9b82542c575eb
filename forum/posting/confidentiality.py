"""Confidentiality marks (MẬT, TỐI MẬT, TUYỆT MẬT, CONFIDENTIAL) in a subject, a body or an
attachment name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from archive.folding import fold

# Two-word marks: TUYỆT MẬT, TỐI MẬT in any case and spacing; without accents only where that
# cannot be everyday words ("tôi mất" = "I lost" folds to "toi mat").
_STRONG_ACCENTED = re.compile(r"\b(tuyệt|tối)[\s_.\-]*mật\b", re.IGNORECASE)
_STRONG_PLAIN = re.compile(r"\b(TUYET|TOI)[\s_.\-]*MAT\b|\btuyet[\s_.\-]*mat\b", re.IGNORECASE)
_LOWER_TOI_MAT = re.compile(r"\btoi[\s_.\-]*mat\b")
_CONFIDENTIAL = re.compile(r"\bconfidential\b", re.IGNORECASE)
# "mật" alone is a mark unless it is part of an ordinary compound (mật khẩu = password, ...).
_MAT = re.compile(r"(?<![\w])(bí\s+)?mật(?![\w])(\s+(\w+))?", re.IGNORECASE)
_ORDINARY_AFTER = frozenset(
    {
        "khẩu",
        "ong",
        "độ",
        "thiết",
        "mã",
        "ngữ",
        "thám",
        "vụ",
        "báo",
        "danh",
        "thư",
        "ước",
        "đàm",
        "lệnh",
        "hiệu",
    }
)
# Without accents only the capitalised stamp counts: "MAT", "[MAT]", "M A T" (mất/mặt/mát are
# everyday words once the accents are gone, and "format" or "Matlab" merely contain the letters).
_MAT_STAMP = re.compile(r"(?<![\w])M\s?[AẬ]\s?T(?![\w])")
_BRACKETED_STAMP = re.compile(r"[\[(]\s*M\s?[AẬ]\s?T\s*[\])]")
_STAMP_LINE = re.compile(r"^\W*(đ[ộo]\s*m[ậa]t\s*[:：]\s*)?\W*$", re.IGNORECASE)


def confidentiality_mark(subject: str, text: str, names: Sequence[str] = ()) -> str | None:
    """The confidentiality mark carried by a subject, body or attachment name, if any."""
    for source in (subject, *names, text[:20000]):
        found = _mark_in(unicodedata.normalize("NFC", source))
        if found:
            return found
    return None


def _mark_in(text: str) -> str | None:
    strong = _STRONG_ACCENTED.search(text) or _plain_strong(text)
    if strong:
        return fold(strong.group(0)).upper()
    if _CONFIDENTIAL.search(text):
        return "CONFIDENTIAL"
    for match in _MAT.finditer(text):
        follower = (match.group(3) or "").lower()
        if match.group(1) or follower in _ORDINARY_AFTER:
            continue  # bí mật (a secret), mật khẩu, mật ong, mật độ ...
        return "MẬT"
    if _BRACKETED_STAMP.search(text):
        return "MẬT"
    for line in text.splitlines():
        stamp = _MAT_STAMP.search(line)
        if stamp and _STAMP_LINE.match(line[: stamp.start()] + line[stamp.end() :]):
            return "MẬT"
    return None


def _plain_strong(text: str) -> re.Match[str] | None:
    for match in _STRONG_PLAIN.finditer(text):
        if not _LOWER_TOI_MAT.fullmatch(match.group(0)):  # "toi mat" in lower case: tôi mất
            return match
    return None
