"""The head of a draft as the document sets it: the letterhead (issuer and number on the left,
the national motto and place and date on the right), the "DỰ THẢO" mark, the type of the
document ("THÔNG TƯ") and its subject ("Quy định về …"). Pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from archive.folding import fold
from forum.drafting.structure import doc_type_of

_RIGHT = re.compile(r"(cong hoa|doc lap|.*\bngay\b.*\bthang\b)")
_DRAFT_MARK = re.compile(r"\(?\s*du thao(?: lan \S+)?\s*\)?")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    issuer: tuple[str, ...] = ()  # left: `BỘ GIÁO DỤC VÀ ĐÀO TẠO`, `Số: /2025/TT-BGDĐT`
    motto: tuple[str, ...] = ()  # right: `CỘNG HÒA …`, `Độc lập - …`, `Hà Nội, ngày …`
    draft_mark: str = ""  # `DỰ THẢO`
    doc_type: str = ""  # `THÔNG TƯ`
    subject: tuple[str, ...] = ()  # `Quy định về dạy thêm, học thêm`
    signer: tuple[str, ...] = ()  # `BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO`, after the subject


def _is_upper(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()


def front_matter(lines: Sequence[str]) -> FrontMatter:
    """The parts of the lines before a draft's preamble (`Draft.front`)."""
    typed = next((i for i, line in enumerate(lines) if doc_type_of(line)), None)
    head = list(lines if typed is None else lines[:typed])
    issuer: list[str] = []
    motto: list[str] = []
    mark = ""
    for line in head:
        folded = fold(line).lower().strip()
        if _DRAFT_MARK.fullmatch(folded):
            mark = line.strip("() ")
        elif _RIGHT.match(folded):
            motto.append(line)
        else:
            issuer.append(line)
    if typed is None:
        return FrontMatter(tuple(issuer), tuple(motto), mark)
    subject: list[str] = []
    rest = list(lines[typed + 1 :])
    while rest and not (subject and _is_upper(rest[0])):
        subject.append(rest.pop(0))
    doc_type = lines[typed]
    if fold(doc_type).lower().startswith("du thao "):  # `DỰ THẢO QUYẾT ĐỊNH` on one line
        mark, doc_type = " ".join(doc_type.split()[:2]), " ".join(doc_type.split()[2:])
    return FrontMatter(tuple(issuer), tuple(motto), mark, doc_type, tuple(subject), tuple(rest))
