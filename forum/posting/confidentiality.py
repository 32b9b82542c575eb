"""Confidentiality marks (MẬT, TỐI MẬT, TUYỆT MẬT) in a post's subject, attachment names and
body, with where each was found, so that a moderator sees why a post waits. Pure: text in, out.

A level counts where a stamp stands: at the head of a subject, line or file name, at its end after
a separator, in brackets, as the value of the "Độ mật:" field, letter-spaced, or written in
capitals inside mixed-case text; never inside an everyday word (bảo mật, mật khẩu) or in talk
about classification ("độ Tối mật", "giữ tuyệt mật"). Unaccented forms count only in stamp places,
and in capitals unless they cannot be anything else. `stamp_places` answers where a level
stands; `confidentiality_terms` holds what the rules know.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from forum.posting import confidentiality_terms as terms
from forum.posting.confidentiality_terms import Level
from forum.posting.disclaimers import unscanned_lines
from forum.posting.stamp_places import Found, Next, Place, Reading, Script
from forum.posting.syllables import Syllable, nfc, unaccented

__all__ = ["Level", "Mark", "Place", "find_mark", "find_marks"]

SCANNED_BODY_CHARS = 100_000  # a stamp sits near the top; this bounds the work per post


@dataclass(frozen=True, slots=True)
class Mark:
    level: Level
    place: Place
    line: int | None  # 1-based, for a body line
    source: str  # the whole subject, file name or line (NFC)
    start: int  # the marked text is source[start:end]
    end: int

    @property
    def text(self) -> str:
        return self.source[self.start : self.end]


def find_mark(subject: str, body: str, attachment_names: Sequence[str] = ()) -> Mark | None:
    """The strongest mark of the post; among equals the first (subject, names, then body)."""
    marks = find_marks(subject, body, attachment_names)
    return min(marks, key=lambda m: terms.STRENGTH.index(m.level)) if marks else None


def find_marks(subject: str, body: str, attachment_names: Sequence[str] = ()) -> list[Mark]:
    """Every mark, in the order subject, attachment names, body lines."""
    marks: list[Mark] = []
    if _may_hold_a_mark(subject):
        marks.extend(_marks_in(Reading(nfc(subject), Place.SUBJECT)))
    for name in attachment_names:
        if name and _may_hold_a_mark(name):
            marks.extend(_marks_in(Reading(nfc(name), Place.ATTACHMENT_NAME)))
    text = nfc(body[:SCANNED_BODY_CHARS])
    if not _may_hold_a_mark(text):
        return marks
    skipped = unscanned_lines(text)
    before = ""
    for number, line in enumerate(text.split("\n")):
        if number in skipped:
            before = ""
            continue
        if _may_hold_a_mark(line):
            reading = Reading(line.rstrip("\r"), Place.BODY_LINE, number + 1, _last_word(before))
            marks.extend(_marks_in(reading))
        before = line
    return marks


def _marks_in(reading: Reading) -> Iterator[Mark]:
    for found in reading.found:
        label = reading.field_label(found)
        if label is None and not _counts(reading, found):
            continue
        first = found.first if label is None else label
        yield Mark(
            found.level,
            reading.place,
            reading.line,
            reading.text,
            reading.syllables[first].start,
            reading.syllables[found.stop - 1].end,
        )


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a level stands in its subject, file name or line."""

    stamp_place: bool  # letter-spaced, in brackets, or last and set off from the text before
    at_start: bool  # first (after "Re:" and tags), alone or with its "tài liệu"
    after: Next
    last: bool  # nothing after it
    emphasised: bool  # in capitals amid lower-case text
    declared: bool  # "đây là tài liệu mật"
    designated: bool  # named with its document: "tài liệu mật"


def _counts(reading: Reading, found: Found) -> bool:
    """Whether a level found in the text stands where a stamp stands."""
    if found.script is Script.ENGLISH and reading.place is Place.BODY_LINE:
        return _english_stamp_line(reading, found)
    if reading.ordinary(found):
        return False
    head = reading.designation(found)
    if _talk_about_levels(reading, found, head):
        return False
    after = reading.next_kind(found.stop)
    where = _Where(
        stamp_place=reading.spaced(found)
        or reading.bracketed(head, found.stop)
        or reading.at_end(head, found),
        at_start=head == reading.content_start,
        after=after,
        last=found.stop == len(reading.syllables),
        emphasised=reading.emphasised(found),
        declared=reading.declared(head) and after is not Next.WORD,
        designated=head != found.first,
    )
    if found.script is Script.ACCENTED:
        return _accented_counts(reading.place, found, where)
    if found.script is Script.PLAIN and not (
        reading.capitals(found) or found.phrase in terms.PLAIN_IN_ANY_CASE
    ):
        return False  # "toi mat", "mat": tôi mất, mặt, mắt, mát
    return _stamp_counts(reading.place, found, where)


def _talk_about_levels(reading: Reading, found: Found, head: int) -> bool:
    """ "chế độ tài liệu Mật", "Mật, Tối mật và Tuyệt mật", 'ghi rõ "MẬT"'."""
    if reading.talked_about(head, found) or reading.listed(found):
        return True
    return reading.quoted(head, found.stop) and head != reading.content_start


def _stamp_counts(place: Place, found: Found, where: _Where) -> bool:
    """Unaccented and English marks: only where stamps stand."""
    if where.stamp_place or (where.at_start and where.after is not Next.WORD):
        return True
    if where.at_start and place is Place.ATTACHMENT_NAME:
        # "TUYETMAT_dethi.docx": nothing else reads "tuyet mat"
        return found.phrase in terms.PLAIN_IN_ANY_CASE or where.emphasised
    in_a_name = found.script is Script.PLAIN and place is Place.ATTACHMENT_NAME
    # "MAT Hop giao ban", "Bao_cao_MAT_thang_10.docx", "Tai lieu MAT": capitals amid lower case
    return (where.at_start or in_a_name or where.designated) and where.emphasised


def _accented_counts(place: Place, found: Found, where: _Where) -> bool:
    """ "Mật" with its accents: a stamp where stamps stand, or written in capitals. Inside a
    sentence, even "tối mật" is mostly talk about the levels ("ba độ: Tuyệt mật, Tối mật")."""
    if where.stamp_place or where.declared or where.emphasised:
        return True
    two_words = len(found.phrase) > 1
    if where.at_start:  # but "Tài liệu Tối mật chỉ được sao chụp khi ..." is a rule
        alone = two_words and not where.designated
        return where.after is not Next.WORD or place is Place.ATTACHMENT_NAME or alone
    return two_words and where.after is not Next.WORD  # "Đề thi HSG Tuyệt mật", "... nhé"


def _english_stamp_line(reading: Reading, found: Found) -> bool:
    """English in a body counts only as a line of its own in capitals: "CONFIDENTIAL"."""
    alone = found.first == reading.content_start and found.stop == len(reading.syllables)
    return alone and reading.capitals(found)


_LETTERS = re.compile(r"[^\W\d_]+")
_KNOWN = re.compile("|".join(sorted(terms.SPELLED_OUT)), re.IGNORECASE)
_SPACED_RUN = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ ._-]){2,}[^\W\d_](?![^\W\d_])")
_CAMEL_PIECES = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[^\W\d_A-Z]+")
_LAST_WORD = re.compile(r"([^\W\d_]+)\s*$")


def _may_hold_a_mark(text: str) -> bool:
    """A quick look before the syllables are read: most mail holds no "mat" at all, and in
    "format" or "Matlab" it is inside a word (capitals may join words, though: `TuyetMat`)."""
    plain = unaccented(text)
    read_to = 0
    for known in _KNOWN.finditer(plain):
        if known.start() < read_to:
            continue  # inside a word already looked at
        start, read_to = _word_around(plain, known.start())
        word = plain[start:read_to]
        pieces = [word] if word.isupper() else _CAMEL_PIECES.findall(word)
        for piece in pieces:
            lower = piece.lower()
            if lower in terms.SPELLED_OUT or (
                piece.isupper() and any(known in lower for known in terms.SPELLED_OUT)
            ):
                return True
    for run in _SPACED_RUN.findall(plain):  # "M Ậ T"
        letters = "".join(_LETTERS.findall(run)).lower()
        if any(known in letters for known in terms.SPELLED_OUT):
            return True
    return False


def _word_around(text: str, index: int) -> tuple[int, int]:
    start = end = index
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return start, end


def _last_word(line: str) -> Syllable | None:
    """The word a line ends on, when a sentence runs on to the next line (`bảo` / `mật`)."""
    found = _LAST_WORD.search(line)
    return Syllable(found.group(1), 0, len(found.group(1))) if found else None
