"""Where a confidentiality level stands in one subject, file name or body line: the syllables
found, and the questions the detector asks about their places (first? in brackets? after
"Độ mật:"? part of "bảo mật"? followed by a document type?)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum

from forum.posting import confidentiality_terms as terms
from forum.posting.confidentiality_terms import Level, Phrase
from forum.posting.syllables import Syllable, looks_vietnamese, syllables


class Place(StrEnum):
    SUBJECT = "subject"
    ATTACHMENT_NAME = "attachment name"
    BODY_LINE = "body line"


class Script(Enum):
    ACCENTED = "accented"  # "mật": trusted
    PLAIN = "plain"  # "MAT": also mất, mặt, mắt, mát once the accents are gone
    ENGLISH = "english"


class Next(Enum):
    END = "end"  # nothing more on the line, subject or name
    DOCUMENT = "document"  # "MẬT Báo cáo ..."
    SEPARATED = "separated"  # "MẬT - ...", "MẬT: ..."
    WORD = "word"


_SPELLINGS: tuple[tuple[Phrase, Level, Script], ...] = tuple(
    sorted(
        [(words, level, Script.ACCENTED) for words, level in terms.VIETNAMESE]
        + [(terms.folded((words,))[0], level, Script.PLAIN) for words, level in terms.VIETNAMESE]
        + [(words, level, Script.ENGLISH) for words, level in terms.ENGLISH],
        key=lambda spelling: -len(spelling[0]),
    )
)
_FIRST_WORDS = frozenset(words[0] for words, _, script in _SPELLINGS if script is Script.PLAIN) | {
    words[0] for words, _, script in _SPELLINGS if script is Script.ENGLISH
}
_OPENING, _CLOSING = "([{", ")]}"
_QUOTES = "\"'“”‘’«»"
_SEPARATING = frozenset(':;,|/()[]{}<>–—!?"“”«»*=#+\t\n')


@dataclass(frozen=True, slots=True)
class Found:
    level: Level
    script: Script
    first: int  # syllable indexes: [first, stop)
    stop: int
    phrase: Phrase


class Reading:
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

    def ordinary(self, found: Found) -> bool:
        """Part of an everyday word: bảo mật, bí mật, mật khẩu ...; or talk of "độ Tối mật"."""
        before = self._neighbour_before(found.first)
        after = self._neighbour_after(found.stop)
        if found.script is Script.ENGLISH:
            return after is not None and after.exact in terms.ENGLISH_AFTER
        plain = found.script is Script.PLAIN
        single = len(found.phrase) == 1
        if before is not None:
            word = before.folded if plain else before.exact
            if word in (terms.PLAIN_BEFORE_MAT if plain else terms.TALK_BEFORE) or (
                single and not plain and word in terms.BEFORE_MAT
            ):
                return True
        if after is None or self.phrase_at(found.stop, self._documents(found.script)):
            return False
        return (after.folded if plain else after.exact) in (
            terms.PLAIN_AFTER_MAT if plain else terms.AFTER_MAT
        )

    def listed(self, found: Found) -> bool:
        """Named next to another level ("Mật, Tối mật và Tuyệt mật"): talk about the levels."""
        index = self.found.index(found)
        for other in self.found[max(index - 1, 0) : index] + self.found[index + 1 : index + 2]:
            first, stop = sorted((other, found), key=lambda f: f.first)
            between = self.syllables[first.stop : stop.first]
            if "\n" not in self.text[
                self.syllables[first.stop - 1].end : self.syllables[stop.first].start
            ] and all(s.exact in terms.LIST_JOINERS for s in between):
                return True
        return False

    def quoted(self, head: int, stop: int) -> bool:
        """In quotes ('ghi rõ "MẬT"'): the word mentioned, not a stamp used."""
        before, after = self.gap_before(head).rstrip(), self.gap_after(stop).lstrip()
        return before[-1:] in tuple(_QUOTES) and after[:1] in tuple(_QUOTES)

    def talked_about(self, head: int, found: Found) -> bool:
        """ "chế độ tài liệu Mật", "danh mục tài liệu mật": classification as a topic."""
        before = self._neighbour_before(head) if head != found.first else None
        if before is None:
            return False
        if found.script is Script.PLAIN:
            return before.folded in terms.PLAIN_TALK_BEFORE
        return before.exact in terms.TALK_BEFORE

    def field_label(self, found: Found) -> int | None:
        """Where "Độ mật:" starts when the level is that field's value ("Độ mật: Tối mật")."""
        if found.script is Script.ENGLISH:
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

    def designation(self, found: Found) -> int:
        """Where "tài liệu" starts in "tài liệu mật" (a classified text named), else the level."""
        if found.script is Script.ENGLISH or _separates(self.gap_before(found.first)):
            return found.first
        phrases = terms.DESIGNATIONS
        if found.script is Script.PLAIN:
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

    def spaced(self, found: Found) -> bool:
        return any(s.spaced for s in self.syllables[found.first : found.stop])

    def bracketed(self, head: int, stop: int) -> bool:
        before, after = self.gap_before(head).rstrip(), self.gap_after(stop).lstrip()
        return before[-1:] in tuple(_OPENING) and after[:1] in tuple(_CLOSING)

    def at_end(self, head: int, found: Found) -> bool:
        """Last on its line, subject or file name, set off from what comes before."""
        if found.stop != len(self.syllables) or head == self.content_start:
            return False
        return self.place is Place.ATTACHMENT_NAME or _separates(self.gap_before(head))

    def next_kind(self, stop: int) -> Next:
        if stop >= len(self.syllables) or "\n" in self.gap_after(stop):
            return Next.END
        if self.phrase_at(stop, terms.DOCUMENTS + terms.folded(terms.DOCUMENTS)):
            return Next.DOCUMENT
        if self.phrase_at(stop, terms.ENGLISH_DOCUMENTS):
            return Next.DOCUMENT
        if _separates(self.gap_after(stop)) or self.syllables[stop].exact in terms.PARTICLES:
            return Next.SEPARATED
        return Next.WORD

    def capitals(self, found: Found) -> bool:
        return all(s.upper for s in self.syllables[found.first : found.stop])

    def emphasised(self, found: Found) -> bool:
        """In capitals amid lower-case text (in all-capital text, capitals say nothing). Without
        accents, the capitals must end at the mark ("MAT SACH" is mất sách) and what follows
        must read as Vietnamese ("MAT file" is English)."""
        if not (self.capitals(found) and any(c.islower() for c in self.text)):
            return False
        after = self._neighbour_after(found.stop)
        if found.script is not Script.PLAIN or after is None:
            return True
        return not (after.upper and len(after.text) > 1) and looks_vietnamese(after.folded)

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

    def _documents(self, script: Script) -> tuple[Phrase, ...]:
        if script is Script.ACCENTED:
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

    def _levels(self) -> Iterator[Found]:
        index = 0
        while index < len(self.syllables):
            found = self._level_at(index)
            if found is None:
                index += 1
                continue
            yield found
            index = found.stop

    def _level_at(self, index: int) -> Found | None:
        if self.syllables[index].folded not in _FIRST_WORDS:
            return None
        for phrase, level, script in _SPELLINGS:
            words = self.syllables[index : index + len(phrase)]
            if len(words) < len(phrase):
                continue
            if script is Script.PLAIN and any(s.accented for s in words):
                continue
            forms = tuple(s.folded if script is Script.PLAIN else s.exact for s in words)
            inside = all(_joined(self.gap_before(i)) for i in range(index + 1, index + len(phrase)))
            if forms == phrase and inside:
                return Found(level, script, index, index + len(phrase), phrase)
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
    return gap.strip().strip(_QUOTES) in ("", "_", "-", ".") and gap.count("\n") <= 1


def _separates(gap: str) -> bool:
    """Punctuation, a number, a line break or a wide space sets a stamp off from its text."""
    spaced = "".join(" " if c.isspace() and c not in "\t\n" else c for c in gap)  # NBSP too
    stripped = spaced.strip(" ")
    if "  " in spaced or any(c in _SEPARATING or c.isdigit() for c in spaced):
        return True
    return bool(stripped) and (stripped not in ("_", "-", ".") or stripped != spaced)
