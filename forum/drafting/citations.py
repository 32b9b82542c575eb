"""Provisions as a comment cites them: `điểm a khoản 2 Điều 5`, `Điều 5.2`, `k2 Đ5`,
`Chương II`, `Mục 2`, `Phần thứ hai`, `Phụ lục I`; other texts' articles are left out.

`Điều 6 Thông tư` means this draft when the draft is a Thông tư: only a number or year
(`Thông tư số 17/2012/TT-BGDĐT`), a word like `hiện hành`, or another type of text
(`Luật Giáo dục`, `Nghị định`) makes it another text's article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from forum.drafting.structure import POINT_LETTERS, aligned_fold

RANK = {"appendix": 0, "part": 0, "chapter": 1, "section": 2, "article": 3, "clause": 4}
RANK["point"] = 5
_ORDINALS = {
    "nhat": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10,
}  # fmt: skip
_ORDINAL = rf"thu\s+(?:{'|'.join(_ORDINALS)})(?:\s+(?:mot|{'|'.join(_ORDINALS)}))?"

# Matched against folded text (lowercase, no diacritics, đ -> d), aligned with the original.
_COMPONENT = re.compile(
    r"(?<![a-z])(?:"
    r"(?P<point>diem\s+)(?P<p>[a-z])(?![a-z0-9])"
    r"|(?P<clause>khoan\s*|k\.?(?=\d))(?P<c>\d{1,3})(?![0-9])"
    r"|(?P<article>dieu\s*|d\.?(?=\d))(?P<a>\d{1,3}(?:[a-z](?![a-z0-9]))?)(?![0-9])"
    r"(?:\.(?P<ac>\d{1,2})(?![0-9])(?:\.(?P<ap>[a-z])(?![a-z0-9]))?)?"
    r"|(?P<chapter>chuong\s+)(?P<ch>[ivxlc]+|\d{1,2})(?![a-z0-9])"
    rf"|(?P<part>phan\s+)(?P<pt>{_ORDINAL}|[ivxlc]+|\d{{1,2}})(?![a-z0-9])"
    r"|(?<!danh\s)(?<!tieu\s)(?P<section>muc\s+)(?P<mu>[ivxlc]+|\d{1,2})(?![a-z0-9])"
    r"|(?P<appendix>phu\s*luc)(?:\s+(?:so\s+)?(?P<px>[ivxlc]+|\d{1,2})(?![a-z0-9]))?"
    r")"
)
_GAP = re.compile(r"(?:[\s,;()\-–/]|\b(?:va|hoac|cua|tai|thuoc|o|den|\d{1,3}|[a-z])\b)*")
# Types of legal text; the last ones are also ordinary words (`Điều 5 quy định rằng ...`),
# so they name a text only when capitalised (`Điều 5 Quy chế`).
_TYPES = (
    "bo luat|luat|nghi dinh|nghi quyet|thong tu lien tich|thong tu|quyet dinh|hien phap"
    "|phap lenh|chi thi|cong van|van ban"
)
_WORD_TYPES = "quy che|quy dinh|dieu le|huong dan|ke hoach"
_CITED_TEXT = re.compile(
    rf"[\s,]*(?:(?:cua|tai|theo|trong)\s+)?(?P<type>{_TYPES}|{_WORD_TYPES})\b(?P<after>[^.;:!?]*)"
)
_OURS = re.compile(r"\s*(nay|du thao)\b")
_ANOTHER = re.compile(r"\s*(so\b|\d|hien hanh|cu\b|truoc day|da ban hanh|hien nay|lien tich)")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


@dataclass(slots=True)
class Reference:
    """One provision as a comment names it; empty parts were not named."""

    parts: dict[str, str] = field(default_factory=dict)  # kind -> number: {"article": "5"}
    shorthand: bool = False  # `k2`: only trusted next to an article
    end: int = 0


def references(text: str, own_types: frozenset[str] = frozenset()) -> list[Reference]:
    """The provisions `text` names, in order, leaving out other texts' (`Điều 5 Luật ...`);
    `own_types` are the draft's own types of text (`thong tu`, and `quy che` when it issues
    one), whose articles cited without a number are the draft's."""
    folded = aligned_fold(text).lower()
    found: list[Reference] = []
    for match in _COMPONENT.finditer(folded):
        parts, shorthand = _parts(match, text)
        if not parts:
            continue
        last = found[-1] if found else None
        if last is None or not _joins(last, parts, folded[last.end : match.start()]):
            found.append(Reference({}, False, 0))
        found[-1].parts.update(parts)
        found[-1].shorthand |= shorthand
        found[-1].end = match.end()
    kept = [r for r in found if not _another_text(text, folded, r.end, own_types)]
    return [r for r in kept if not r.shorthand or "article" in r.parts]


def _another_text(text: str, folded: str, end: int, own_types: frozenset[str]) -> bool:
    """Whether the words after a reference name another legal text than the draft."""
    cited = _CITED_TEXT.match(folded, end)
    if cited is None:
        return False
    kind, after = cited.group("type"), cited.group("after")
    if kind in _WORD_TYPES.split("|") and not text[cited.start("type")].isupper():
        return False  # `Điều 5 quy định ...`: a verb, not a text
    if _OURS.match(after):
        return False  # `Điều 5 Thông tư này`, `Điều 5 dự thảo`
    if _ANOTHER.match(after):
        return True  # `Thông tư số 17/2012`, `Thông tư hiện hành`
    if own_types:
        return kind not in own_types
    return bool(re.match(r"\s+[a-z0-9]", after))  # a draft of unknown type: a name follows


def _parts(match: re.Match[str], text: str) -> tuple[dict[str, str], bool]:
    """What one matched word names (`Điều 5.2` names two parts), and if it was abbreviated."""
    if match.group("point"):
        letter = text[match.start("p")]  # the original, where `đ` is not `d`
        return ({"point": letter} if letter in POINT_LETTERS else {}), False
    if match.group("clause"):
        return {"clause": match.group("c")}, not match.group("clause").startswith("khoan")
    if match.group("article"):
        if not match.group("article").startswith("dieu") and text[match.start()] not in "Đđ":
            return {}, False  # `D1` is an exam block; only `Đ5` abbreviates Điều 5
        point = text[match.start("ap")] if match.group("ap") else ""
        parts = {"article": match.group("a"), "clause": match.group("ac") or "", "point": point}
        return {kind: number for kind, number in parts.items() if number}, False
    return _division(match, text), False


def _division(match: re.Match[str], text: str) -> dict[str, str]:
    """A chapter, part, section or appendix; a part or section numbered in Roman numerals
    only when they are capitals (`Phần II`, not `một phần vì`)."""
    for kind, group in (("chapter", "ch"), ("part", "pt"), ("section", "mu")):
        if match.group(kind):
            number = text[match.start(group) : match.end(group)]
            if kind != "chapter" and number.isalpha() and not number.isupper():
                return {}
            return {kind: key(kind, number)}
    return {"appendix": key("appendix", match.group("px") or "")}


def _joins(last: Reference, parts: dict[str, str], gap: str) -> bool:
    """`điểm a, khoản 2 của Điều 5` and `Điều 5 khoản 2` are one reference each."""
    words = re.findall(r"[a-z0-9]+", gap)
    if len(gap) > 30 or not _GAP.fullmatch(gap) or words[-1:] in (["va"], ["hoac"], ["den"]):
        return False  # `Điều 5 và khoản 3 Điều 6`: two references
    if any(kind in last.parts for kind in parts):
        return False
    ranks = sorted(RANK[kind] for kind in last.parts)
    new = sorted(RANK[kind] for kind in parts)
    return new[0] > ranks[-1] or new[-1] < ranks[0]  # keeps going one way, up or down


def key(kind: str, number: str) -> str:
    """`II`, `ii`, `2` and `thứ hai` are the same chapter or part; articles keep their letter
    (`5a`)."""
    numeral = " ".join(aligned_fold(number).lower().split())
    if numeral.startswith("thu "):
        words = numeral.split()[1:]
        values = [_ORDINALS.get(word, 1 if word == "mot" else 0) for word in words]
        return str(values[0] + sum(values[1:]) if values[0] == 10 else values[0])
    if kind == "article" or not numeral or any(c not in _ROMAN for c in numeral):
        return str(int(numeral)) if numeral.isdigit() else numeral
    values = [_ROMAN[c] for c in numeral]
    pairs = zip(values, [*values[1:], 0], strict=True)
    return str(sum(-value if value < after else value for value, after in pairs))
