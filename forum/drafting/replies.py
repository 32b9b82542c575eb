"""An email reply's plain text split into what the sender wrote and what they quoted.

The labels come from `archive.own_text` (quotes, attributions, Outlook originals,
signatures, disclaimers, list footers); this module reads them as a draft's comments, and
sets apart the formalities of an official letter pasted into the reply.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from archive.own_text import Kind, blocks
from archive.own_text.patterns import QUOTE_MARKS
from forum.drafting.official_letter import formalities
from forum.drafting.structure import aligned_fold

SegmentKind = Literal["new", "quote", "attribution", "signature", "letter"]

# Matched against folded lines: lowercase, no diacritics, đ -> d.
_SALUTATION = re.compile(
    r"(kinh gui|kinh thua|dear|xin chao|hello|than gui|gui (anh|chi)\b"
    r"|chao (anh|chi|em|ban|cac|thay|co|ong|ba|quy))\b"
)
_ITEM = re.compile(r"(?:[-+*•–]|\d{1,2}[.)]|[a-zđ]\))\s+")
_NAMES_PROVISION = re.compile(
    r"(?:(?:gop y|y kien|ve|doi voi|tai|sua|bo)\s+){0,2}"
    r"(?:diem\s+[a-z]\b|khoan\s*\d|dieu\s*\d|chuong\s+[ivxlc\d]|phu luc|k\d|d\d)"
)


@dataclass(frozen=True, slots=True)
class Segment:
    kind: SegmentKind
    text: str  # a quote's text has its ">" marks removed


@dataclass(frozen=True, slots=True)
class Unit:
    """One paragraph of new text, or one item of a list in it."""

    text: str
    paragraph: int  # which paragraph of its segment
    item: bool  # starts with a bullet or a number


@dataclass(frozen=True, slots=True)
class ReplyParts:
    segments: tuple[Segment, ...]  # in the order they appear in the mail

    @property
    def new_text(self) -> str:
        return "\n\n".join(s.text for s in self.segments if s.kind == "new")

    @property
    def quoted(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.segments if s.kind == "quote")


_SEGMENT_OF: dict[Kind, SegmentKind] = {
    Kind.TEXT: "new",
    Kind.QUOTE: "quote",
    Kind.ORIGINAL: "quote",
    Kind.ATTRIBUTION: "attribution",
    Kind.SIGNATURE: "signature",
    Kind.DISCLAIMER: "signature",
    Kind.FOOTER: "signature",
}


def split_reply(text: str) -> ReplyParts:
    """The reply's new text, quotes, attributions and signatures, in order."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.replace("\u00a0", " ").rstrip() for line in text.split("\n"))
    segments: list[Segment] = []
    for block in blocks(text):
        kind = _SEGMENT_OF[block.kind]
        body = block.text
        if block.kind is Kind.QUOTE:
            body = "\n".join(QUOTE_MARKS.sub("", line) for line in body.split("\n"))
        if kind != "new":
            segments.append(Segment(kind, body))
            continue
        for is_letter, part in _letter_parts(body.split("\n")):
            segments.append(Segment("letter" if is_letter else "new", "\n".join(part)))
    tidy = (Segment(s.kind, s.text.strip("\n")) for s in segments)
    return ReplyParts(tuple(s for s in tidy if s.text.strip()))


def _letter_parts(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """The new text cut where a pasted official letter's formalities start and stop (blank
    lines go with what precedes them)."""
    parts: list[tuple[bool, list[str]]] = []
    for line, is_letter in zip(lines, formalities(lines), strict=True):
        if parts and (parts[-1][0] == is_letter or not line.strip()):
            parts[-1][1].append(line)
        else:
            parts.append((is_letter, [line]))
    return parts


def _folded(line: str) -> str:
    return aligned_fold(line).lower().strip(" *_")


def greeting(line: str) -> bool:
    """`Kính gửi Ban soạn thảo,`, `Chào anh Nam`, `Dear all`: a salutation, not a comment."""
    folded = _folded(line)
    return bool(_SALUTATION.match(folded)) and len(folded.split()) <= 12


def units(text: str) -> list[Unit]:
    """A new-text segment's paragraphs, split again where a line opens a list item or starts
    by naming a provision after a finished sentence; salutations are left out."""
    out: list[Unit] = []
    for number, paragraph in enumerate(re.split(r"\n\s*\n", text)):
        current: list[str] = []
        item = False
        for line in (raw.strip() for raw in paragraph.split("\n")):
            if not line or greeting(line):
                continue
            bullet = bool(_ITEM.match(line))
            after_sentence = bool(current) and current[-1].endswith((".", ";", ":", "!", "?"))
            if current and (bullet or (after_sentence and _NAMES_PROVISION.match(_folded(line)))):
                out.append(Unit("\n".join(current), number, item))
                current = []
            item = item if current else bullet
            current.append(line)
        if current:
            out.append(Unit("\n".join(current), number, item))
    return out
