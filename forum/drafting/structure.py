"""Vietnamese legal text -> a tree of Phần, Chương, Mục, Điều, Khoản and Điểm, with anchors.
Headings count only at the start of a line: a sentence mentioning "Điều 5" starts no node."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from archive.folding import fold

NodeKind = Literal[
    "preamble", "part", "chapter", "section", "subsection", "article", "clause", "point", "appendix"
]
# kind: (depth in the hierarchy, anchor word, the kinds whose anchor prefixes this one's)
_KINDS: dict[NodeKind, tuple[int, str, tuple[NodeKind, ...]]] = {
    "preamble": (0, "mo-dau", ()), "appendix": (0, "phu-luc", ()), "part": (1, "phan", ()),
    "chapter": (2, "chuong", ()), "section": (3, "muc", ("chapter", "part")),
    "subsection": (4, "tieu-muc", ("section",)), "article": (5, "dieu", ()),
    "clause": (6, "khoan", ("article",)), "point": (7, "diem", ("clause", "article")),
}  # fmt: skip
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet: no f, j, w, z

# Matched against the folded line (same length as the original, so slices line up).
_ROMAN = r"[ivxlc]+"
_ORDINAL = r"thu\s+(?:nhat|hai|ba|tu|bon|nam|sau|bay|tam|chin|muoi(?:\s+(?:mot|hai|ba|bon|lam|nam|sau|bay|tam|chin))?)"  # noqa: E501
_HEADINGS: tuple[tuple[NodeKind, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"phan\s*({_ORDINAL}|{_ROMAN}|\d+)")),
    ("chapter", re.compile(rf"chuong\s*({_ROMAN}|\d+)")),
    ("subsection", re.compile(rf"tieu\s+muc\s*({_ROMAN}|\d+)")),
    ("section", re.compile(rf"muc\s*({_ROMAN}|\d+)")),
    ("article", re.compile(r"dieu\s*(\d+[a-z]?)")),
    ("appendix", re.compile(rf"phu\s*luc(?:\s+(?:so\s*)?({_ROMAN}|\d+[a-z]?))?")),
)
_SEPARATORS = ".:-–—"
_CLAUSE = re.compile(r"(\d{1,3})\s*[.)](?!\d)\s*")
_POINT = re.compile(r"([a-zđ])\s*[).]\s+|([a-zđ])\)$")
_PREAMBLE = re.compile(r"(can cu|theo de nghi|xet de nghi|thuc hien)\b")
_CLOSING = re.compile(r"noi nhan\s*:?")
# A table of contents: a `MỤC LỤC` line, and headings ending in a tab or leaders and a page
# number (`Điều 1. Phạm vi điều chỉnh\t3`, `Chương II ........ 7`); they are not provisions.
_TOC_TITLE = re.compile(r"muc luc|table of contents")
_TOC_PAGE = re.compile(r"(?:\t|\.{3,}|…+|_{3,})[\s.…_]*\d{1,4}\s*$")
_DOC_TYPES = frozenset(
    {"thong tu", "thong tu lien tich", "quyet dinh", "nghi dinh", "nghi quyet", "luat",
     "chi thi", "quy dinh", "quy che", "huong dan", "dieu le", "ke hoach"}
)  # fmt: skip
_LETTERHEAD = re.compile(r"(cong hoa|doc lap|so\b|du thao|.*\bngay\b.*\bthang\b)")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_ESCAPED = re.compile(r"\\([.)(\-*_#>\[\]])")
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "\u00a0": " ", "\u200b": "", "\ufeff": ""})


@dataclass(frozen=True, slots=True)
class Node:
    kind: NodeKind
    number: str  # as written: "II", "5", "2", "a", "đ", "thứ nhất"; "" for none
    title: str
    anchor: str  # unique in its draft: "chuong-ii", "dieu-5-khoan-2-diem-dd"
    text: str  # the node's own text, without its heading and without its children
    children: tuple[Node, ...] = ()


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    preamble: str
    nodes: tuple[Node, ...]
    doc_type: str = ""  # folded, as its heading says: "thong tu", "quyet dinh"; "" if unsaid
    front: tuple[str, ...] = ()  # the lines before the preamble: letterhead, type, subject


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    kind: NodeKind
    number: str
    title: str
    anchor: str
    depth: int


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = fold(char)
    return folded if len(folded) == 1 else " "


def aligned_fold(text: str) -> str:
    """`fold` one character at a time: same length as `text`, so match positions line up."""
    return "".join(_fold_char(char) for char in text)


def clean_line(line: str) -> str:
    """One line without Markdown marks (`#`, `**`, `\\.`, `*…*`), with single spaces."""
    line = unicodedata.normalize("NFC", line).translate(_LOOKALIKES)
    line = _ESCAPED.sub(r"\1", _BOLD.sub(r"\2", _BOLD.sub(r"\2", line)))
    line = " ".join(line.replace("**", "").split()).lstrip("#").strip()
    if len(line) > 2 and line[0] == line[-1] and line[0] in "*_":
        line = line[1:-1].strip()
    return line


@dataclass(slots=True)
class _Open:
    """A node being built: lines arrive until a heading of its level or above closes it."""

    kind: NodeKind
    number: str
    anchor: str
    rest: str = ""  # the heading line after its number: a title, or the first sentence
    title: str = ""
    wants_title: bool = False
    lines: list[str] = field(default_factory=list)
    children: list[_Open] = field(default_factory=list)

    def close(self) -> Node:
        title, lines = self.title, self.lines
        if self.kind in ("clause", "point"):
            lines = [self.rest, *lines] if self.rest else lines
        elif self.rest and (_reads_as_body(self.rest) or not (lines or self.children)):
            lines = [self.rest, *lines]
        elif self.rest:
            title = self.rest.rstrip(".")
        children = tuple(child.close() for child in self.children)  # at most 8 levels deep
        return Node(self.kind, self.number, title, self.anchor, "\n".join(lines), children)


def _reads_as_body(rest: str) -> bool:
    """`Điều 1. Ban hành kèm theo ... sau:` is a sentence; `Điều 1. Phạm vi` is a title."""
    words = len(rest.split())
    return rest.endswith((":", ";", ",")) or words > 25 or (rest.endswith(".") and words > 12)


def _heading(line: str, folded: str) -> tuple[NodeKind, str, str] | None:
    """(kind, number as written, rest of the line) when the line opens a structural unit."""
    for kind, pattern in _HEADINGS:
        match = pattern.match(folded)
        if match is None:
            continue
        after = line[match.end() :]
        rest = after.lstrip()
        if rest and rest[0] in _SEPARATORS:
            rest = rest.lstrip(_SEPARATORS + " ")
        elif rest and not (after[0] == " " and _is_upper(rest)):
            continue  # `Điều 5 của Luật ...`, `Chương trình ...`: a sentence, not a heading
        number = line[match.start(1) : match.end(1)] if match.group(1) else ""
        return kind, " ".join(number.split()), rest
    return None


def _is_upper(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()


def _slug(number: str) -> str:
    if number == "đ":
        return "dd"  # keeps point đ) apart from point d)
    return "-".join(re.findall(r"[a-z0-9]+", fold(number)))


class _Builder:
    """Feeds lines through a stack of open nodes; anchors are made unique as nodes open."""

    def __init__(self) -> None:
        self.front: list[str] = []
        self.roots: list[_Open] = []
        self.stack: list[_Open] = []
        self.anchors: dict[str, int] = {}  # each anchor given, and the last suffix tried
        self.in_appendix = False
        self.closing = False

    def feed(self, line: str) -> None:
        folded = aligned_fold(line).lower()
        heading = _heading(line, folded)
        if heading is not None and (not self.in_appendix or heading[0] == "appendix"):
            self.closing = False
            self._open(*heading)
        elif self.closing or (not self.in_appendix and self._numbered(line)):
            return
        elif self.stack and not self.in_appendix and _CLOSING.fullmatch(folded.rstrip(" .")):
            self.closing = True  # "Nơi nhận" and the signer's block belong to no provision
        elif self.stack:
            self._text(line)
        else:
            self.front.append(line)

    def _open(self, kind: NodeKind, number: str, rest: str) -> None:
        self.in_appendix = kind == "appendix"
        while self.stack and _KINDS[self.stack[-1].kind][0] >= _KINDS[kind][0]:
            self.stack.pop()
        node = _Open(kind, number, self._anchor(kind, number), rest=rest)
        node.wants_title = not rest and kind not in ("article", "clause", "point")
        (self.stack[-1].children if self.stack else self.roots).append(node)
        self.stack.append(node)

    def _anchor(self, kind: NodeKind, number: str) -> str:
        _, word, scope = _KINDS[kind]
        parent = next((n.anchor for n in reversed(self.stack) if n.kind in scope), "")
        anchor = "-".join(part for part in (parent, word, _slug(number)) if part)
        unique, count = anchor, self.anchors.get(anchor, 1)
        while unique in self.anchors:
            count += 1
            unique = f"{anchor}-{count}"
        self.anchors[anchor] = self.anchors[unique] = count
        return unique

    def _numbered(self, line: str) -> bool:
        """Open a clause (`2.`) or a point (`b)`) when one is due here, in ascending order."""
        article = next((n for n in reversed(self.stack) if n.kind == "article"), None)
        if article is None:
            return False
        clause = _CLAUSE.match(line)
        if clause is not None:
            numbers = [int(c.number) for c in article.children if c.kind == "clause"]
            due = int(clause.group(1)) > max(numbers, default=0)
            if due:
                self._open("clause", clause.group(1), line[clause.end() :].strip())
            return due
        point = _POINT.match(line)
        if point is None:
            return False
        letter = point.group(1) or point.group(2)
        parent = self.stack[-1] if self.stack[-1].kind != "point" else self.stack[-2]
        letters = [POINT_LETTERS.index(c.number) for c in parent.children if c.kind == "point"]
        if POINT_LETTERS.index(letter) <= max(letters, default=-1):
            return False
        self._open("point", letter, line[point.end() :].strip())
        return True

    def _text(self, line: str) -> None:
        node = self.stack[-1]
        if node.wants_title and node.kind == "appendix":
            # `MẪU BÁO CÁO`, often under a `(Kèm theo ...)` line
            node.wants_title = line.startswith("(") and not _is_upper(line)
            if _is_upper(line):
                node.title = line
            else:
                node.lines.append(line)
            return
        wrapped = not node.title or (_is_upper(node.title) and _is_upper(line))
        if node.wants_title and wrapped and not node.lines and not node.children:
            node.title = f"{node.title} {line}".strip()  # a title wrapped over lines
            return
        node.wants_title = False
        node.lines.append(line)


def parse_draft(text: str) -> Draft:
    """The tree of a draft regulation given as plain text or Markdown (NFC or NFD)."""
    builder = _Builder()
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean_line(raw)
        if line and not set(line) <= set("-*_=|") and not _in_contents(raw, line):
            builder.feed(line)
    front = builder.front
    starts = (i for i, line in enumerate(front) if _PREAMBLE.match(aligned_fold(line).lower()))
    start = next(starts, len(front))
    preamble = "\n".join(front[start:])
    nodes = [node.close() for node in builder.roots]
    if preamble:
        nodes.insert(0, Node("preamble", "", "", "mo-dau", preamble))
    title, doc_type = _title(front[:start])
    return Draft(title, preamble, tuple(nodes), doc_type, tuple(front[:start]))


def _in_contents(raw: str, line: str) -> bool:
    """A table of contents' title or one of its entries (a heading with a page number)."""
    folded = aligned_fold(line).lower()
    if _TOC_TITLE.fullmatch(folded.rstrip(" :")):
        return True
    page = _TOC_PAGE.search(raw)
    if page is None:
        return False
    entry = clean_line(raw[: page.start()])
    return _heading(entry, aligned_fold(entry).lower()) is not None


def doc_type_of(line: str) -> str:
    """The folded type a heading line names (`THÔNG TƯ`, `DỰ THẢO QUYẾT ĐỊNH`), or ""."""
    words = re.findall(r"[a-z]+", aligned_fold(line).lower())
    doc_type = " ".join(words[2:] if words[:2] == ["du", "thao"] else words)
    return doc_type if doc_type in _DOC_TYPES else ""


def _title(lines: list[str]) -> tuple[str, str]:
    """(`THÔNG TƯ` + its subject lines, "thong tu"); else the first line that is not
    letterhead, and no type."""
    for index, line in enumerate(lines):
        doc_type = doc_type_of(line)
        if not doc_type:
            continue
        subject: list[str] = []
        for following in lines[index + 1 :]:
            if subject and _is_upper(following):
                break  # the issuer's line (`GIÁM ĐỐC SỞ ...`) follows the subject
            subject.append(following)
        title = " ".join(subject)
        if aligned_fold(title).lower().startswith(doc_type):
            return title, doc_type  # `QUY CHẾ` over `Quy chế tổ chức ...`
        kind = " ".join(line.split()[-len(doc_type.split()) :]).capitalize()
        return f"{kind} {title}".strip(), doc_type
    plain = (line for line in lines if not _LETTERHEAD.match(aligned_fold(line).lower()))
    return next(plain, ""), ""


def walk(draft: Draft) -> Iterator[Node]:
    """Every node in document order."""
    return (node for node, _ in _walk_with_depth(draft))


def outline(draft: Draft) -> tuple[OutlineEntry, ...]:
    """(kind, number, title, anchor, depth) for a table of contents, in document order."""
    return tuple(
        OutlineEntry(node.kind, node.number, node.title, node.anchor, depth)
        for node, depth in _walk_with_depth(draft)
    )


def _walk_with_depth(draft: Draft) -> Iterator[tuple[Node, int]]:
    pending = [(node, 0) for node in reversed(draft.nodes)]
    while pending:
        node, depth = pending.pop()
        yield node, depth
        pending.extend((child, depth + 1) for child in reversed(node.children))
