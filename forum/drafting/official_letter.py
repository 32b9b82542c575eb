"""The formalities of an official letter (công văn) pasted into a reply: letterhead, national
motto, number and symbol (`Số: 125/PGDĐT-THCS`), subject line (`V/v ...`), place and date,
`Kính gửi:` and its list, `Nơi nhận:` and its list (`- Lưu: VT.`), and the signer's block
(`KT. TRƯỞNG PHÒNG`, `PHÓ TRƯỞNG PHÒNG`, `(đã ký)`, a name). Two-column layouts, pasted with
tabs or runs of spaces, are read cell by cell. None of it is a comment on the draft.
"""

from __future__ import annotations

import re
from enum import Enum, auto

from forum.drafting.structure import aligned_fold


class Mark(Enum):
    """What one cell of a letter's line is."""

    MOTTO = auto()
    NUMBER = auto()
    SUBJECT = auto()
    DATE = auto()
    ADDRESSEE = auto()
    RECIPIENTS = auto()
    SIGNER = auto()
    SIGNED = auto()
    ORGANISATION = auto()
    RULE = auto()
    INTRODUCTION = auto()
    CONCLUSION = auto()


# Matched against the folded cell (lowercase, no diacritics, đ -> d).
_PATTERNS = (
    (Mark.MOTTO, re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*[-–]\s*tu do")),
    (Mark.NUMBER, re.compile(r"so\s*:\s*[\w.\s]*/[\w&./-]*$")),
    (Mark.SUBJECT, re.compile(r"(v/v|ve viec)\s*:?\s+\S")),
    (Mark.DATE, re.compile(r"[^,]{2,40},\s*ngay\s+[\d.…]*\s*thang\s+[\d.…]*\s*nam\s+\d{4}\W*$")),
    (Mark.ADDRESSEE, re.compile(r"kinh gui\s*:")),
    (Mark.RECIPIENTS, re.compile(r"noi nhan\s*:?|luu\s*:\s*vt")),
    (Mark.SIGNED, re.compile(r"[(\[]\s*(da ky|ky\b|ky ten|ky,).*[)\]]\W*$")),
)
_SIGNER = re.compile(
    r"((kt|tm|tl|tuq|ktl|q)\.\s*)?(pho\s+)?(truong phong|hieu truong|giam doc|chu tich"
    r"|bo truong|thu truong|chanh van phong|truong ban|to truong|truong khoa|vu truong"
    r"|ban giam hieu|ban giam doc)\b.*"
)
_AUTHORITY = re.compile(r"(kt|tm|tl|tuq|ktl|q)\.\s*\S")
_ORGANISATION = re.compile(
    r"(ubnd|uy ban|so|phong|truong|bo|trung tam|van phong|ban|cong doan|doan|hoi)\b"
)
_INTRODUCTION = re.compile(r"(thuc hien|can cu|phuc dap|theo de nghi|trien khai|theo cong van)\b")
_CONCLUSION = re.compile(r"tren day (la|)")
_NAMES_PROVISION = re.compile(r"\b(dieu|khoan|diem|chuong|muc|phan)\s+\w")
_ITEM = re.compile(r"[-+•–]\s*\S")
_CELLS = re.compile(r"\t+|\s{3,}")
_RULE = re.compile(r"[-_=*.]{3,}$")
_STRONG = frozenset({Mark.MOTTO, Mark.NUMBER, Mark.SUBJECT, Mark.DATE, Mark.RECIPIENTS})


def cells(line: str) -> list[str]:
    """The cells of a line pasted from a two-column table (tabs or wide spaces between)."""
    return [cell.strip() for cell in _CELLS.split(line.strip()) if cell.strip()]


def _mark(cell: str) -> Mark | None:
    """What a cell is on its own, whatever surrounds it."""
    folded = aligned_fold(cell).lower().strip(" *_")
    found = next((mark for mark, pattern in _PATTERNS if pattern.match(folded)), None)
    return found or _capitals_mark(cell, folded) or _prose_mark(folded)


def _capitals_mark(cell: str, folded: str) -> Mark | None:
    """Letterhead and signer lines are set in capitals: `PHÒNG GD&ĐT`, `KT. TRƯỞNG PHÒNG`."""
    if _RULE.match(folded):
        return Mark.RULE
    if cell != cell.upper() or not any(c.isalpha() for c in cell):
        return None
    words = len(cell.split())
    if words <= 8 and (_SIGNER.fullmatch(folded) or _AUTHORITY.match(folded)):
        return Mark.SIGNER
    return Mark.ORGANISATION if words <= 12 and _ORGANISATION.match(folded) else None


def _prose_mark(folded: str) -> Mark | None:
    """`Thực hiện Công văn số ... như sau:` and `Trên đây là ý kiến ...` open and close the
    letter's body; an opening that cites a provision is a lead citation, not a formality."""
    if _INTRODUCTION.match(folded) and folded.rstrip().endswith(":"):
        return None if _NAMES_PROVISION.search(folded) else Mark.INTRODUCTION
    return Mark.CONCLUSION if _CONCLUSION.match(folded) else None


def _is_name(cell: str) -> bool:
    """`Nguyễn Văn Bình`, `ThS. Lê Thị Mai`: two to six capitalised words, no digits."""
    words = cell.rstrip(".").split()
    return 2 <= len(words) <= 6 and all(
        (w[0].isupper() and w.isalpha()) or w.endswith(".") for w in words
    )


def formalities(lines: list[str]) -> list[bool]:
    """Which lines of a reply's new text are a pasted letter's formalities. Nothing is
    marked unless the text shows two different strong signs of a letter (a motto, a
    number, a subject line, a place and date, a `Nơi nhận`), so comments that merely
    begin with `Số` or mention a date are never taken for one."""
    marks = [[_mark(cell) for cell in cells(line)] for line in lines]
    strong = {mark for row in marks for mark in row if mark in _STRONG}
    if len(strong) < 2:
        return [False] * len(lines)
    return _Reader(lines, marks).read()


class _Reader:
    """Goes down the lines once, knowing which list (`Kính gửi`, `Nơi nhận`), subject line or
    signer block it is in, since their continuation lines say nothing by themselves."""

    def __init__(self, lines: list[str], marks: list[list[Mark | None]]) -> None:
        self.lines = lines
        self.marks = marks
        self.within: Mark | None = None  # SUBJECT, ADDRESSEE or RECIPIENTS (the closing)
        self.bare = False  # right after a `Kính gửi:` with nothing after the colon

    def read(self) -> list[bool]:
        return [self._line(index) for index in range(len(self.lines))]

    def _line(self, index: int) -> bool:
        row = cells(self.lines[index])
        if not row:
            if self.within != Mark.RECIPIENTS:
                self.within = None  # a blank line ends a subject or an addressee list
            return False
        found = [self._cell(cell, mark) for cell, mark in zip(row, self.marks[index], strict=True)]
        if not all(found):
            self.within = None
        return all(found)

    def _cell(self, cell: str, mark: Mark | None) -> bool:
        bare, self.bare = self.bare, False
        if mark in (Mark.SUBJECT, Mark.ADDRESSEE):
            self.within = mark
            self.bare = mark == Mark.ADDRESSEE and cell.rstrip().endswith(":")
        elif mark in (Mark.RECIPIENTS, Mark.SIGNER, Mark.SIGNED):
            self.within = Mark.RECIPIENTS  # the closing: lists, signers and names in any order
        elif mark is not None and self.within == Mark.SUBJECT:
            self.within = None
        if mark is not None:
            return True
        folded = aligned_fold(cell).lower()
        if self.within == Mark.SUBJECT:
            return cell[:1].islower() and len(cell.split()) <= 15  # the subject, wrapped
        if self.within == Mark.ADDRESSEE and not _NAMES_PROVISION.search(folded):
            self.bare = bare and not cell.endswith(".")
            return bool(_ITEM.match(cell)) or cell.endswith(";") or bare and _short(cell)
        if self.within == Mark.RECIPIENTS:
            return bool(_ITEM.match(cell)) or _is_name(cell)
        return False


def _short(cell: str) -> bool:
    return len(cell.split()) <= 12
