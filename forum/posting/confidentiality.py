"""Confidentiality marks (MẬT, TỐI MẬT, TUYỆT MẬT) in a post's subject, attachment names and
body, with where each was found, so that a moderator sees why a post waits. Pure: text in, out.

A level counts where a stamp stands: at the head of a subject, line or file name, at its end after
a separator, in brackets, as the value of the "Độ mật:" field, letter-spaced, or written in
capitals inside mixed-case text. "Tối mật" and "tuyệt mật" with accents count anywhere but in
talk about classification ("độ Tối mật"). Unaccented forms count only in stamp places, and
in capitals unless they cannot be anything else. What the rules know is in
`confidentiality_terms`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum

from archive.folding import fold
from forum.posting import confidentiality_terms as terms
from forum.posting.confidentiality_terms import Level, Phrase
from forum.posting.disclaimers import unscanned_lines
from forum.posting.syllables import Syllable, nfc, syllables, unaccented

SCANNED_BODY_CHARS = 100_000  # a stamp sits near the top; this bounds the work per post


class Place(StrEnum):
    SUBJECT = "subject"
    ATTACHMENT_NAME = "attachment name"
    BODY_LINE = "body line"


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
        marks.extend(_marks_in(_Reading(nfc(subject), Place.SUBJECT)))
    for name in attachment_names:
        if name and _may_hold_a_mark(name):
            marks.extend(_marks_in(_Reading(nfc(name), Place.ATTACHMENT_NAME)))
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
            reading = _Reading(line.rstrip("\r"), Place.BODY_LINE, number + 1, _last_word(before))
            marks.extend(_marks_in(reading))
        before = line
    return marks


class _Script(Enum):
    ACCENTED = "accented"  # "mật": trusted
    PLAIN = "plain"  # "MAT": also mất, mặt, mắt, mát once the accents are gone
    ENGLISH = "english"


class _Next(Enum):
    END = "end"  # nothing more on the line, subject or name
    DOCUMENT = "document"  # "MẬT Báo cáo ..."
    SEPARATED = "separated"  # "MẬT - ...", "MẬT: ..."
    WORD = "word"


_SPELLINGS: tuple[tuple[Phrase, Level, _Script], ...] = tuple(
    sorted(
        [(words, level, _Script.ACCENTED) for words, level in terms.VIETNAMESE]
        + [(terms.folded((words,))[0], level, _Script.PLAIN) for words, level in terms.VIETNAMESE]
        + [(words, level, _Script.ENGLISH) for words, level in terms.ENGLISH],
        key=lambda spelling: -len(spelling[0]),
    )
)
_FIRST_WORDS = frozenset(words[0] for words, _, script in _SPELLINGS if script is _Script.PLAIN) | {
    words[0] for words, _, script in _SPELLINGS if script is _Script.ENGLISH
}
_LETTERS = re.compile(r"[^\W\d_]+")
_KNOWN = re.compile("|".join(sorted(terms.SPELLED_OUT)), re.IGNORECASE)
_SPACED_RUN = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ ._-]){2,}[^\W\d_](?![^\W\d_])")
_CAMEL_PIECES = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[^\W\d_A-Z]+")
_LAST_WORD = re.compile(r"([^\W\d_]+)\s*$")
_OPENING, _CLOSING = "([{", ")]}"
_QUOTES = "\"'“”‘’«»"
_SEPARATING = frozenset(':;,|/()[]{}<>–—!?"“”«»*=#+\t\n')


@dataclass(frozen=True, slots=True)
class _Found:
    level: Level
    script: _Script
    first: int  # syllable indexes: [first, stop)
    stop: int
    phrase: Phrase


def _marks_in(reading: _Reading) -> Iterator[Mark]:
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


def _counts(reading: _Reading, found: _Found) -> bool:
    """Whether a level found in the text stands where a stamp stands."""
    if found.script is _Script.ENGLISH and reading.place is Place.BODY_LINE:
        return _english_stamp_line(reading, found)
    if reading.ordinary(found):
        return False
    head = reading.designation(found)
    if reading.talked_about(head, found):
        return False
    at_start = head == reading.content_start
    stamp_place = (
        reading.spaced(found) or reading.bracketed(head, found.stop) or reading.at_end(head, found)
    )
    after = reading.next_kind(found.stop)
    stamp_head = at_start and (after is not _Next.WORD or reading.place is Place.ATTACHMENT_NAME)
    emphasised = reading.emphasised(found)
    if found.script is _Script.ACCENTED:
        declared = reading.declared(head) and after is not _Next.WORD
        two_words = len(found.phrase) > 1
        return stamp_place or stamp_head or declared or two_words or emphasised
    if found.script is _Script.PLAIN and not (
        reading.capitals(found) or found.phrase in terms.PLAIN_IN_ANY_CASE
    ):
        return False
    return stamp_place or (at_start and (after is not _Next.WORD or emphasised))


def _english_stamp_line(reading: _Reading, found: _Found) -> bool:
    """English in a body counts only as a line of its own in capitals: "CONFIDENTIAL"."""
    alone = found.first == reading.content_start and found.stop == len(reading.syllables)
    return alone and reading.capitals(found)


class _Reading:
    """One subject, file name or body line cut into syllables, with questions about places."""

    def __init__(
        self, text: str, place: Place, line: int | None = None, wrapped_from: Syllable | None = None
    ) -> None:
        self.text, self.place, self.line = text, place, line
        self.wrapped_from = wrapped_from  # the last word of the line before, when it runs on
        scanned = _stem(text) if place is Place.ATTACHMENT_NAME else text
        self.scanned_end = len(scanned)
        self.syllables = syllables(scanned, terms.SPELLED_OUT)
        self.found = list(self._levels())
        self.content_start = self._content_start()

    def gap_before(self, index: int) -> str:
        start = self.syllables[index - 1].end if index > 0 else 0
        return self.text[start : self.syllables[index].start]

    def gap_after(self, stop: int) -> str:
        end = self.syllables[stop].start if stop < len(self.syllables) else self.scanned_end
        return self.text[self.syllables[stop - 1].end : end]

    def ordinary(self, found: _Found) -> bool:
        """Part of an everyday word: bảo mật, bí mật, mật khẩu ...; or talk of "độ Tối mật"."""
        before = self._neighbour_before(found.first)
        after = self._neighbour_after(found.stop)
        if found.script is _Script.ENGLISH:
            return after is not None and after.exact in terms.ENGLISH_AFTER
        plain = found.script is _Script.PLAIN
        single = len(found.phrase) == 1
        if before is not None:
            word = before.folded if plain else before.exact
            if word in (terms.PLAIN_BEFORE_MAT if plain else terms.TOPIC_BEFORE) or (
                single and not plain and word in terms.BEFORE_MAT
            ):
                return True
        if after is None or self.phrase_at(found.stop, self._documents(found.script)):
            return False
        return (after.folded if plain else after.exact) in (
            terms.PLAIN_AFTER_MAT if plain else terms.AFTER_MAT
        )

    def talked_about(self, head: int, found: _Found) -> bool:
        """ "chế độ tài liệu Mật", "danh mục tài liệu mật": classification as a topic."""
        before = self._neighbour_before(head) if head != found.first else None
        if before is None:
            return False
        if found.script is _Script.PLAIN:
            return before.folded in {fold(word) for word in terms.TOPIC_BEFORE}
        return before.exact in terms.TOPIC_BEFORE

    def field_label(self, found: _Found) -> int | None:
        """Where "Độ mật:" starts when the level is that field's value ("Độ mật: Tối mật")."""
        if found.script is _Script.ENGLISH:
            return None
        for label in terms.folded(terms.FIELD_LABELS):
            start = found.first - len(label)
            if start < 0 or tuple(s.folded for s in self.syllables[start : found.first]) != label:
                continue
            between = self.gap_before(found.first)
            heads = start == self.content_start or _separates(self.gap_before(start))
            if "\n" not in between and (heads or any(c in between for c in ":\t|")):
                return start
        return None

    def designation(self, found: _Found) -> int:
        """Where "tài liệu" starts in "tài liệu mật" (a classified text named), else the level."""
        if found.script is _Script.ENGLISH or _separates(self.gap_before(found.first)):
            return found.first
        phrases = terms.DESIGNATIONS
        if found.script is _Script.PLAIN:
            phrases = terms.folded(phrases)
        for phrase in phrases:
            start = found.first - len(phrase)
            if start >= 0 and self.phrase_at(start, (phrase,)) == len(phrase):
                return start
        return found.first

    def declared(self, head: int) -> bool:
        """ "Đây là tài liệu mật": a sentence that says this text is classified."""
        for phrase in terms.DECLARATIONS:
            start = head - len(phrase)
            if start >= 0 and self.phrase_at(start, (phrase,)) == len(phrase):
                return True
        return False

    def spaced(self, found: _Found) -> bool:
        return any(s.spaced for s in self.syllables[found.first : found.stop])

    def bracketed(self, head: int, stop: int) -> bool:
        before, after = self.gap_before(head).rstrip(), self.gap_after(stop).lstrip()
        return before[-1:] in tuple(_OPENING) and after[:1] in tuple(_CLOSING)

    def at_end(self, head: int, found: _Found) -> bool:
        """Last on its line, subject or file name, set off from what comes before."""
        if found.stop != len(self.syllables) or head == self.content_start:
            return False
        return self.place is Place.ATTACHMENT_NAME or _separates(self.gap_before(head))

    def next_kind(self, stop: int) -> _Next:
        if stop >= len(self.syllables) or "\n" in self.gap_after(stop):
            return _Next.END
        if self.phrase_at(stop, terms.DOCUMENTS + terms.folded(terms.DOCUMENTS)):
            return _Next.DOCUMENT
        if self.phrase_at(stop, terms.ENGLISH_DOCUMENTS):
            return _Next.DOCUMENT
        return _Next.SEPARATED if _separates(self.gap_after(stop)) else _Next.WORD

    def capitals(self, found: _Found) -> bool:
        return all(s.upper for s in self.syllables[found.first : found.stop])

    def emphasised(self, found: _Found) -> bool:
        """In capitals amid lower-case text (in all-capital text, capitals say nothing)."""
        return self.capitals(found) and any(c.islower() for c in self.text)

    def phrase_at(self, index: int, phrases: tuple[Phrase, ...]) -> int:
        """The length of the longest phrase that starts at `index`, words joined closely."""
        best = 0
        if index >= len(self.syllables):
            return 0
        first = self.syllables[index]
        for phrase in phrases:
            stop = index + len(phrase)
            if stop > len(self.syllables) or len(phrase) <= best:
                continue
            if phrase[0] not in (first.exact, first.folded):
                continue
            words = self.syllables[index:stop]
            forms = [s.exact for s in words] if _accented(phrase) else [s.folded for s in words]
            joined = all(_joined(self.gap_before(i)) for i in range(index + 1, stop))
            if tuple(forms) == phrase and joined:
                best = len(phrase)
        return best

    def _documents(self, script: _Script) -> tuple[Phrase, ...]:
        if script is _Script.ACCENTED:
            return terms.DOCUMENTS
        return terms.folded(terms.DOCUMENTS)

    def _neighbour_before(self, index: int) -> Syllable | None:
        if index == 0:
            return self.wrapped_from if not self.gap_before(0).strip() else None
        return self.syllables[index - 1] if _joined(self.gap_before(index)) else None

    def _neighbour_after(self, stop: int) -> Syllable | None:
        if stop >= len(self.syllables) or not _joined(self.gap_after(stop)):
            return None
        return self.syllables[stop]

    def _levels(self) -> Iterator[_Found]:
        index = 0
        while index < len(self.syllables):
            found = self._level_at(index)
            if found is None:
                index += 1
                continue
            yield found
            index = found.stop

    def _level_at(self, index: int) -> _Found | None:
        if self.syllables[index].folded not in _FIRST_WORDS:
            return None
        for phrase, level, script in _SPELLINGS:
            words = self.syllables[index : index + len(phrase)]
            if len(words) < len(phrase):
                continue
            if script is _Script.PLAIN and any(s.accented for s in words):
                continue
            forms = tuple(s.folded if script is _Script.PLAIN else s.exact for s in words)
            inside = all(_joined(self.gap_before(i)) for i in range(index + 1, index + len(phrase)))
            if forms == phrase and inside:
                return _Found(level, script, index, index + len(phrase), phrase)
        return None

    def _content_start(self) -> int:
        """The first syllable after reply prefixes ("Re:", "TL:") and bracketed tags ("[thpt]")."""
        index, starts = 0, {found.first for found in self.found}
        while index < len(self.syllables):
            prefix = self.phrase_at(index, terms.PREFIXES)
            if prefix and ":" in self.gap_after(index + prefix):
                index += prefix
                continue
            if self.gap_before(index).rstrip().endswith("["):
                closing = next(
                    (i for i in range(index + 1, len(self.syllables)) if "]" in self.gap_before(i)),
                    None,
                )
                if closing is not None and not starts & set(range(index, closing)):
                    index = closing
                    continue
            return index
        return index


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


def _stem(name: str) -> str:
    """A file name without folders and extension: `MAT_Ke hoach.docx` -> `MAT_Ke hoach`."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = base.rpartition(".")
    kept = stem if dot and extension.isalnum() and len(extension) <= 5 else base
    return name[: len(name) - len(base)] + kept


def _accented(phrase: Phrase) -> bool:
    return any(not word.isascii() for word in phrase)


def _joined(gap: str) -> bool:
    """Two syllables of one word or phrase: spaces or quotes, one `_`, `-` or `.`, at most one
    line break (a sentence wrapped)."""
    return gap.strip(_QUOTES + " \t\r\n") in ("", "_", "-", ".") and gap.count("\n") <= 1


def _separates(gap: str) -> bool:
    """Punctuation, a number, a line break or a wide space sets a stamp off from its text."""
    stripped = gap.strip(" ")
    if "  " in gap or any(c in _SEPARATING or c.isdigit() for c in gap):
        return True
    return bool(stripped) and (stripped not in ("_", "-", ".") or stripped != gap)
