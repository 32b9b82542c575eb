"""An email reply's plain text split into what the sender wrote and what they quoted.

Handles `>` quoting (top-, bottom- and interleaved posting), attribution lines in English and
Vietnamese, Outlook's unmarked original under a header block, signatures and disclaimers, and
the formalities of an official letter pasted into the reply.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from forum.drafting.official_letter import formalities
from forum.drafting.structure import aligned_fold

SegmentKind = Literal["new", "quote", "attribution", "signature", "letter"]

# Matched against folded lines: lowercase, no diacritics, đ -> d.
_QUOTE_MARKS = re.compile(r"^\s*(?:>\s?)+")
_ATTRIBUTION_START = re.compile(r"(on|vao|luc|le|am|el)\b")
_ATTRIBUTION_END = re.compile(r".*\b(wrote|viet|a ecrit|schrieb|escribio)\s*:$")
_SEPARATOR = re.compile(r"-{3,}\s*\w[\w\s]*?\s*-{3,}$")  # -----Original Message-----, Thư gốc
_RULE = re.compile(r"[_\-=]{8,}$")
_HEADER_FROM = re.compile(r"(from|tu|nguoi gui)\s*:")
_HEADER_FIELD = re.compile(
    r"(sent|date|to|cc|bcc|subject|gui|da gui|ngay|ngay gui|thoi gian|den|toi|nguoi nhan"
    r"|chu de|tieu de)\s*:"
)
_HEADER_INLINE = re.compile(r"\b(sent|date|to|subject|da gui|den|chu de|tieu de)\s*:")
_SIGNATURE_DASH = re.compile(r"--\s*$")
_VALEDICTION = re.compile(
    r"(tran trong|kinh thu|than ai|than men|chuc suc khoe|best regards|kind regards|regards"
    r"|best|thanks|thank you|many thanks|cheers|xin cam on|cam on|chan thanh cam on"
    r"|tran trong cam on|kinh chao)\b[\s,.!]*(cam on|kinh chao)?[\s,.!]*$"
)
_DEVICE_FOOTER = re.compile(
    r"((sent|gui|duoc gui) (from|tu|bang)\b.*\b(iphone|ipad|android|samsung|galaxy|mobile"
    r"|dien thoai|di dong|outlook|yahoo|mail|gmail)\b|get outlook for)"
)
_DISCLAIMER = re.compile(
    r"confidential|intended recipient|intended solely|intended only|privileged|disclaimer"
    r"|mien tru trach nhiem|khong phai la nguoi nhan|nguoi nhan mong muon|bao mat va chi danh"
)
_CONTACT = re.compile(
    r"@|https?://|www\.|\b(dt|dtdd|dd|tel|mobile|phone|fax|hotline|email|website)\s*[:.]"
    r"|(\+84|\b0)\d[\d .\-]{7,12}\d\b"
)
_ROLE = re.compile(
    r"(hieu truong|pho hieu truong|giao vien|chuyen vien|truong phong|pho truong phong"
    r"|to truong|to pho|giam doc|pho giam doc|truong (thpt|thcs|th|mn|mam non|tieu hoc)"
    r"|phong (gd|giao duc)|so (gd|giao duc)|trung tam|principal|teacher)\b"
)
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


def split_reply(text: str) -> ReplyParts:
    """The reply's new text, quotes, attributions and signatures, in order."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.replace("\u00a0", " ").rstrip() for line in text.split("\n")]
    runs: list[tuple[SegmentKind, list[str]]] = []
    for kind, line in _classify(lines):
        if runs and (runs[-1][0] == kind or not line.strip()):
            runs[-1][1].append(line)
        else:
            runs.append((kind, [line]))
    segments: list[Segment] = []
    for kind, run in runs:
        if kind != "new":
            segments.append(Segment(kind, "\n".join(run)))
            continue
        for is_letter, part in _letter_parts(run):
            if is_letter:
                segments.append(Segment("letter", "\n".join(part)))
            else:
                body, signature = _split_signature(part)
                segments += [Segment("new", body), Segment("signature", signature)]
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


def _classify(lines: list[str]) -> list[tuple[SegmentKind, str]]:
    """Each line's kind; everything under an Outlook header block is the quoted original."""
    out: list[tuple[SegmentKind, str]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip() or _QUOTE_MARKS.match(line):
            out.append(("quote", _QUOTE_MARKS.sub("", line)) if line.strip() else ("new", ""))
            index += 1
            continue
        original = _original_starts(lines, index)
        if original is not None:
            out += [("attribution", head) for head in lines[index:original]]
            out += [("quote", rest) for rest in lines[original:]]
            break
        end = _attribution_end(lines, index)
        if end is None:
            out.append(("new", line))
            index += 1
            continue
        out += [("attribution", head) for head in lines[index:end]]
        following = next((rest for rest in lines[end:] if rest.strip()), ">")
        if not _QUOTE_MARKS.match(following):  # the client did not mark the original
            out += [("quote", rest) for rest in lines[end:]]
            break
        index = end
    return out


def _folded(line: str) -> str:
    return aligned_fold(line).lower().strip(" *_")


def _original_starts(lines: list[str], index: int) -> int | None:
    """Where the unmarked original starts, when `index` opens a separator or header block."""
    folded = _folded(lines[index])
    if _SEPARATOR.match(folded):  # the header block under it is part of the attribution
        end = _header_end(lines, index + 1)
        return index + 1 if end is None else end
    return _header_end(lines, index + 1 if _RULE.match(lines[index].strip()) else index)


def _header_end(lines: list[str], index: int) -> int | None:
    """After `From:`/`Từ:` and two more header fields (`Sent:`, `To:`, `Chủ đề:` ...)."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not _HEADER_FROM.match(_folded(lines[index])):
        return None
    if len(_HEADER_INLINE.findall(_folded(lines[index]))) >= 2:
        return index + 1  # the whole header on one line, as some HTML conversions leave it
    fields, end = 0, None
    for offset in range(1, 9):
        if index + offset >= len(lines):
            break
        if _HEADER_FIELD.match(_folded(lines[index + offset])):
            fields, end = fields + 1, index + offset + 1
    return end if fields >= 2 else None


def _attribution_end(lines: list[str], index: int) -> int | None:
    """End of an "On ... wrote:" / "Vào ... đã viết:" line, which clients may wrap."""
    folded = _folded(lines[index])
    if _ATTRIBUTION_START.match(folded):
        joined = folded
        for end in range(index + 1, min(index + 4, len(lines) + 1)):
            if _ATTRIBUTION_END.match(joined) and len(joined) < 300:
                return end if any(c.isdigit() for c in joined) else None  # a date, or no mail

            if end < len(lines):
                joined = f"{joined} {_folded(lines[end])}"
        return None
    if not _ATTRIBUTION_END.match(folded):
        return None
    following = next((rest for rest in lines[index + 1 :] if rest.strip()), "")
    # Thunderbird: "Nguyễn Văn A wrote:" right above the quote
    return index + 1 if _QUOTE_MARKS.match(following) else None


def _split_signature(lines: list[str]) -> tuple[str, str]:
    """(text, signature): from "-- ", a closing like "Trân trọng,", a device line, a
    disclaimer, or a trailing name/title/phone block."""
    folded = [_folded(line) for line in lines]
    cut, remaining = len(lines), sum(1 for f in folded if f)
    for index, line in enumerate(folded):
        remaining -= bool(line)
        if _DISCLAIMER.search(line):
            start = index  # from its paragraph's first line, when a blank line is close above
            while start > 0 and folded[start - 1] and index - start < 3:
                start -= 1
            cut = start if start > 0 and not folded[start - 1] else index
            break
        if (
            _SIGNATURE_DASH.fullmatch(lines[index].strip())
            or (_DEVICE_FOOTER.match(line) and len(line.split()) <= 8)
            or (_VALEDICTION.match(line) and remaining <= 8 and all(map(_short, folded[index:])))
        ):
            cut = index
            break
    cut = _trailing_card(lines, folded, cut)
    return "\n".join(lines[:cut]), "\n".join(lines[cut:])


def _trailing_card(lines: list[str], folded: list[str], end: int) -> int:
    """Start of a name/title/phone block at the end (`Nguyễn Văn An / Tổ trưởng / ĐT: ...`),
    or of a name alone in the last paragraph."""
    start, card, names, contact, role = end, 0, 0, False, False
    while start > 0 and end - start < 7:
        line, plain = folded[start - 1], lines[start - 1].strip()
        if line:
            is_name = _looks_like_name(plain) and not _NAMES_PROVISION.match(line)
            is_contact, is_role = bool(_CONTACT.search(line)), bool(_ROLE.match(line))
            sentence = plain.endswith((".", ";", "!", "?")) or not _short(line)
            if sentence or not (is_name or is_contact or is_role):
                break
            card, names = card + 1, names + is_name
            contact, role = contact or is_contact, role or is_role
        start -= 1
    alone = card == names == 1 and (start == 0 or not folded[start])
    return start if contact or (names and role) or alone else end


def _short(folded: str) -> bool:
    return len(folded.split()) <= 14


def _looks_like_name(line: str) -> bool:
    """`Nguyễn Văn An`, `ThS. Lê Thị Hoa`: two to six capitalised words, no digits."""
    words = line.rstrip(",.").split()
    capitalised = all((w[0].isupper() and w.isalpha()) or w.endswith(".") for w in words)
    return 2 <= len(words) <= 6 and capitalised


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
