"""The end of a run of the author's text: a signature, a disclaimer, and the footers a
mailing list appends at the very end of a message."""

from __future__ import annotations

import re

from archive.own_text.kinds import Kind
from archive.own_text.patterns import (
    DEVICE_FOOTER,
    DISCLAIMER,
    FOOTER,
    FOOTER_RULE,
    QUOTE_MARKS,
    SIGNATURE_DASH,
    VALEDICTION,
    folded,
)

Span = tuple[Kind, int, int]  # kind, first line, line after the last

_FOOTER_WINDOW = 16  # lines from the end where a list footer's marker is looked for
_FOOTER_HEAD = 4  # lines of a footer above its marker ("X mailing list", the address)
_DISCLAIMER_TAIL = 30  # non-blank lines a disclaimer and what follows it may take
_CLOSING_TAIL = 8  # non-blank lines a closing ("Trân trọng,") and its name block may take
_SHORT_LINE = 14  # words
_CARD_LINES = 7
_NAME_WORDS = (2, 6)
_CONTACT = re.compile(
    r"@|https?://|www\.|\b(dt|dtdd|dd|tel|mobile|phone|fax|hotline|email|website)\s*[:.]"
    r"|(\+84|\b0)\d[\d .\-]{7,12}\d\b"
)
_ROLE = re.compile(
    r"(hieu truong|pho hieu truong|giao vien|chuyen vien|truong phong|pho truong phong"
    r"|to truong|to pho|giam doc|pho giam doc|truong (thpt|thcs|th|mn|mam non|tieu hoc)"
    r"|phong (gd|giao duc)|so (gd|giao duc)|trung tam|principal|teacher|engineer|manager"
    r"|director|professor|ph\.?d)\b"
)
_PATCH = re.compile(r"diff -|Index: \S|\+\+\+ \S|--- a/")
# Greetings, and lines naming a provision of a draft ("Điều 5", "khoản 2"), are no names.
_NOT_A_NAME = re.compile(
    r"(hi|hello|dear|xin chao|chao|kinh gui|than gui|gui)\b"
    r"|(?:(?:gop y|y kien|ve|doi voi|tai|sua|bo)\s+){0,2}"
    r"(?:diem\s+[a-z]\b|khoan\s*\d|dieu\s*\d|chuong\s+[ivxlc\d]|phu luc|k\d|d\d)"
)


def footers_start(lines: list[str]) -> int:
    """Where the list footers at the end of the message start (len(lines) when none);
    stacked footers (ours above Mailman's) are all taken."""
    end = len(lines)
    while True:
        start = _last_footer(lines, end)
        if start is None:
            return end
        end = start


def _last_footer(lines: list[str], end: int) -> int | None:
    last = end
    while last > 0 and not lines[last - 1].strip():
        last -= 1
    first = max(0, last - _FOOTER_WINDOW)
    # a footer quoted in a reply belongs to the quote: look below the last quoted line
    first = max([first, *(i + 1 for i in range(first, last) if QUOTE_MARKS.match(lines[i]))])
    marker = next((i for i in range(first, last) if FOOTER.search(folded(lines[i]))), None)
    if marker is None:
        return None
    for above in range(marker, max(-1, marker - _FOOTER_HEAD - 1), -1):
        line = lines[above].strip()
        if above < marker and not line:
            break
        if FOOTER_RULE.fullmatch(line):
            return above
    return marker


def closing_spans(lines: list[str], start: int, end: int, *, last: bool = True) -> list[Span]:
    """A run of own text cut into TEXT, then a SIGNATURE and a DISCLAIMER where present; a
    patch pasted below the signature is the author's text again. Closings and name blocks
    are looked for in the `last` run of own text only: between quotes they are answers."""
    folds = [folded(line) for line in lines[start:end]]
    raw = lines[start:end]
    disclaimer = _disclaimer_start(folds)
    signature = _signature_start(raw, folds, disclaimer, closing=last)
    patch = next((i for i in range(signature, disclaimer) if _PATCH.match(raw[i])), None)
    if patch is not None and patch > signature:
        spans = [
            (Kind.TEXT, start, start + signature),
            (Kind.SIGNATURE, start + signature, start + patch),
        ]
        return [*spans, *closing_spans(lines, start + patch, end, last=last)]
    signature = _trailing_card(raw, folds, signature) if last else signature
    spans = [
        (Kind.TEXT, start, start + signature),
        (Kind.SIGNATURE, start + signature, start + disclaimer),
        (Kind.DISCLAIMER, start + disclaimer, end),
    ]
    return [span for span in spans if span[1] < span[2]]


def _disclaimer_start(folds: list[str]) -> int:
    """From the paragraph holding a disclaimer's words, when it is near the end."""
    remaining = sum(1 for line in folds if line)
    for index, line in enumerate(folds):
        if line and remaining <= _DISCLAIMER_TAIL and DISCLAIMER.search(line):
            start = index
            while start > 0 and folds[start - 1] and index - start < 3:  # noqa: PLR2004
                start -= 1
            return start if start == 0 or not folds[start - 1] else index
        remaining -= bool(line)
    return len(folds)


def _signature_start(raw: list[str], folds: list[str], end: int, *, closing: bool) -> int:
    """At "-- ", a device line ("Sent from my iPhone") or a closing ("Trân trọng,")
    followed by a short name block."""
    remaining = sum(1 for line in folds[:end] if line)
    for index in range(end):
        line = folds[index]
        remaining -= bool(line)
        if (
            SIGNATURE_DASH.fullmatch(raw[index].strip())
            or (DEVICE_FOOTER.match(line) and len(line.split()) <= 8)  # noqa: PLR2004
            or (
                closing
                and VALEDICTION.match(line)
                and any(folds[:index])  # "Thanks!" alone is the whole message
                and remaining < _CLOSING_TAIL
                and all(_short(rest) for rest in folds[index:end])
            )
        ):
            return index
    return end


def _trailing_card(raw: list[str], folds: list[str], end: int) -> int:
    """Start of a name/title/phone block at the end (`Nguyễn Văn An / Tổ trưởng / ĐT: ...`),
    or of a name alone in the last paragraph."""
    start, card, names, contact, role = end, 0, 0, False, False
    while start > 0 and end - start < _CARD_LINES:
        line, plain = folds[start - 1], raw[start - 1].strip()
        if line:
            is_name = _looks_like_name(plain) and not _NOT_A_NAME.match(line)
            is_contact, is_role = bool(_CONTACT.search(line)), bool(_ROLE.match(line))
            sentence = plain.endswith((".", ";", "!", "?")) or not _short(line)
            if sentence or not (is_name or is_contact or is_role):
                break
            card, names = card + 1, names + is_name
            contact, role = contact or is_contact, role or is_role
        start -= 1
    if not any(folds[:start]):  # nothing written above it: the card is the message itself
        return end
    alone = card == names == 1 and not folds[start]
    return start if contact or (names and role) or alone else end


def _short(line: str) -> bool:
    return len(line.split()) <= _SHORT_LINE


def _looks_like_name(line: str) -> bool:
    """`Nguyễn Văn An`, `ThS. Lê Thị Hoa`: two to six capitalised words, no digits."""
    words = line.rstrip(",.").split()
    capitalised = all((w[0].isupper() and w.isalpha()) or w.endswith(".") for w in words)
    return _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1] and capitalised
