"""The number Word displays before an auto-numbered paragraph: `1.`, `a)`, `Điều 5.`, `Chương II`.

A paragraph's `w:numPr` (its own, or its style's) names a `w:num` in numbering.xml, which names
the `w:abstractNum` whose `w:lvl`s say how each level counts and reads (`w:lvlText` `Điều %1.`).
Word keeps one set of counters per abstractNum: every `w:num` pointing at it continues the same
count, unless its `w:lvlOverride/w:startOverride` restarts a level where that num is first used.
Using a level restarts the levels below it (`w:lvlRestart` may say otherwise). Bullets and
formats that show nothing give no prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml.ns import qn

_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip
_SUFFIXES = {"tab": " ", "space": " ", "nothing": ""}  # after the number; a tab reads as " "

NumPr = tuple[str | None, int | None]  # (numId, ilvl), None where not given


class _Xml(Protocol):
    """The little of an lxml element this module reads (lxml ships no type hints)."""

    def find(self, path: str) -> _Xml | None: ...
    def findall(self, path: str) -> list[_Xml]: ...
    def get(self, key: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Level:
    """One `w:lvl`: how a list level counts and what it shows."""

    start: int = 0  # the spec's value when w:start is missing
    fmt: str = "decimal"
    text: str = ""  # w:lvlText, `%1.` or `Điều %1.`: %N is level N's counter (N from 1)
    restart: int | None = None  # w:lvlRestart: restart when a level < this is used; 0: never
    legal: bool = False  # w:isLgl: every %N reads as a decimal
    suffix: str = " "


@dataclass(frozen=True, slots=True)
class _Num:
    """One `w:num`: the abstractNum whose counters it shares, and its levels after overrides."""

    abstract_id: str
    levels: dict[int, Level]
    restarts: frozenset[int]  # levels a w:startOverride restarts where this num is first used


def format_number(value: int, fmt: str) -> str:
    """A counter as Word writes it in `fmt`; lowerLetter goes a..z, aa, bb (no Vietnamese đ)."""
    if fmt in ("bullet", "none"):
        return ""
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and value > 0:
        roman = ""
        for amount, numeral in _ROMAN:
            count, value = divmod(value, amount)
            roman += numeral * count
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)  # decimal, and the formats we do not spell out (ordinal, cardinalText...)


class Numbering:
    """One document's list counters: call `label` for every paragraph once, in document order."""

    def __init__(self, nums: dict[str, _Num], styles: dict[str, NumPr], default_style: str) -> None:
        self._nums = nums
        self._styles = styles  # styleId -> its numPr, basedOn already followed
        self._default_style = default_style
        self._counters: dict[str, dict[int, int]] = {}  # abstractNumId -> level -> value
        self._used: set[str] = set()  # numIds seen so far

    @classmethod
    def of(cls, document: Document) -> Numbering:
        numbering, styles = _part(document, RT.NUMBERING), _part(document, RT.STYLES)
        style_elements = styles.findall(qn("w:style")) if styles is not None else []
        default = (_attr(s, "w:styleId") for s in style_elements if _is_default_paragraph(s))
        nums = _nums(numbering) if numbering is not None else {}
        return cls(nums, _style_numbers(style_elements), next(default, None) or "")

    def label(self, paragraph: _Xml) -> str:
        """What Word shows before the paragraph, separator included; "" when not numbered."""
        p_pr = paragraph.find(qn("w:pPr"))
        style = _val(p_pr, "w:pStyle") if p_pr is not None else None
        own_num, own_ilvl = _num_pr(p_pr)
        style_num, style_ilvl = self._styles.get(style or self._default_style, (None, None))
        num_id = own_num if own_num is not None else style_num
        num = self._nums.get(num_id or "0")  # numId 0 switches numbering off
        ilvl = next((i for i in (own_ilvl, style_ilvl) if i is not None), 0)
        if num_id is None or num is None or ilvl not in num.levels:
            return ""
        counters = self._advance(num_id, num, ilvl)
        level = num.levels[ilvl]
        if level.fmt == "bullet":
            return ""
        text = level.text
        for n in range(1, 10):  # Word has nine levels, %1 to %9
            other = num.levels.get(n - 1, Level())
            value = counters.get(n - 1, other.start)  # a level not used yet shows its start
            text = text.replace(
                f"%{n}", format_number(value, "decimal" if level.legal else other.fmt)
            )
        return text + level.suffix if text else ""

    def _advance(self, num_id: str, num: _Num, ilvl: int) -> dict[int, int]:
        """Count one more paragraph at `ilvl`; the abstractNum's counters afterwards."""
        counters = self._counters.setdefault(num.abstract_id, {})
        if num_id not in self._used:
            self._used.add(num_id)
            for key in [k for k in counters if any(k >= level for level in num.restarts)]:
                del counters[key]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else num.levels[ilvl].start
        for deeper in [k for k in counters if k > ilvl]:
            restart = num.levels.get(deeper, Level()).restart
            if ilvl < (deeper if restart is None or restart > deeper else restart):
                del counters[deeper]
        return counters


def _part(document: Document, reltype: str) -> _Xml | None:
    try:
        part = document.part.part_related_by(reltype)
    except KeyError:
        return None
    return part.element if isinstance(part, XmlPart) else None


def _attr(element: _Xml | None, name: str) -> str | None:
    return None if element is None else element.get(qn(name))


def _val(element: _Xml, child: str) -> str | None:
    return _attr(element.find(qn(child)), "w:val")


def _int(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def _num_pr(p_pr: _Xml | None) -> NumPr:
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    if num_pr is None:
        return None, None
    return _val(num_pr, "w:numId"), _int(_val(num_pr, "w:ilvl"))


def _levels(parent: _Xml) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for lvl in parent.findall(qn("w:lvl")):
        legal = _attr(lvl.find(qn("w:isLgl")), "w:val")
        levels[_int(_attr(lvl, "w:ilvl")) or 0] = Level(
            start=_int(_val(lvl, "w:start")) or 0,
            fmt=_val(lvl, "w:numFmt") or "decimal",
            text=_val(lvl, "w:lvlText") or "",
            restart=_int(_val(lvl, "w:lvlRestart")),
            legal=lvl.find(qn("w:isLgl")) is not None and legal not in ("0", "false"),
            suffix=_SUFFIXES.get(_val(lvl, "w:suff") or "tab", " "),
        )
    return levels


def _nums(numbering: _Xml) -> dict[str, _Num]:
    abstracts = {_attr(a, "w:abstractNumId"): a for a in numbering.findall(qn("w:abstractNum"))}
    nums: dict[str, _Num] = {}
    for num in numbering.findall(qn("w:num")):
        abstract_id = _val(num, "w:abstractNumId") or ""
        levels = _levels(abstracts[abstract_id]) if abstract_id in abstracts else {}
        restarts: set[int] = set()
        for override in num.findall(qn("w:lvlOverride")):
            levels.update(_levels(override))  # a whole w:lvl may replace the abstract one
            ilvl = _int(_attr(override, "w:ilvl")) or 0
            start = _int(_val(override, "w:startOverride"))
            if start is not None and ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
                restarts.add(ilvl)
        nums[_attr(num, "w:numId") or ""] = _Num(abstract_id, levels, frozenset(restarts))
    return nums


def _is_default_paragraph(style: _Xml) -> bool:
    return _attr(style, "w:type") == "paragraph" and _attr(style, "w:default") in ("1", "true")


def _style_numbers(styles: list[_Xml]) -> dict[str, NumPr]:
    """styleId -> (numId, ilvl) from its `w:pPr/w:numPr`, each filled from the nearest basedOn."""
    own = {
        _attr(style, "w:styleId") or "": (
            _num_pr(style.find(qn("w:pPr"))),
            _val(style, "w:basedOn"),
        )
        for style in styles
    }
    resolved: dict[str, NumPr] = {}
    for style_id, ((num_id, ilvl), based_on) in own.items():
        seen = {style_id}  # a basedOn loop in a broken file ends here
        while based_on in own and based_on not in seen:
            seen.add(based_on)
            (parent_num, parent_ilvl), based_on = own[based_on]
            num_id = num_id if num_id is not None else parent_num
            ilvl = ilvl if ilvl is not None else parent_ilvl
        resolved[style_id] = (num_id, ilvl)
    return resolved
