"""The query language, parsed into plain data; it never fails, anything odd becomes words.

dang ky email            every word must match (diacritics optional)
"dự thảo"                a phrase          a OR b        either (binds tighter than AND)
-word  -"a phrase"       must not match    from:nguyen   sender name or address
list:thpt                one list          subject:họp   in the subject only
before:/after:/on:DATE   2009-04-01, 01/04/2009, 2009-04 or 2009 (the site's local days)
has:attachment           with attachments  in:thread:42  within one thread
in:attachments           in attachments' text only (-in:attachments: messages only)
filename:"cv 1234"       an attachment's file name
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal

from whoosh import query as wq

from archive.folding import fold
from search_index.analysis import fold_word, has_marks, pair, words
from search_index.schema import ADJACENT_BOOST, ATTACHMENT, EXACT_BOOST, MESSAGE, SUBJECT_BOOST
from search_index.stemming import stem_queries

Kind = Literal[
    "word",
    "phrase",
    "from",
    "subject",
    "list",
    "thread",
    "attachment",
    "before",
    "after",
    "on",
    "in_attachments",
    "filename",
]
TEXT_KINDS = ("word", "phrase", "subject")
MAX_TERMS = 24  # a pasted page of text is cut here rather than run as 2,000 clauses
MAX_PHRASE = 12

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_PART = re.compile(r'(-?)(?:([A-Za-z]+):)?("[^"]*"|[^\s"]+)')
_OPERATORS = (
    "from",
    "subject",
    "list",
    "in",
    "thread",
    "has",
    "before",
    "after",
    "on",
    "filename",
)
_ATTACHMENT_WORDS = ("attachment", "attachments", "file", "files", "tep")
_YEAR_FIRST = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_LIST_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_DAY_FIRST = re.compile(r"(?:(\d{1,2})[-/.])?(\d{1,2})[-/.](\d{4})")


@dataclass(frozen=True, slots=True)
class Period:
    """A day, month or year: [start, end) in naive UTC."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Term:
    kind: Kind
    words: tuple[str, ...] = ()  # exact (NFC, lowercase) words, for the text kinds and from:
    value: str = ""  # list name or thread id
    period: Period | None = None
    negated: bool = False


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """Groups joined by AND; the terms of one group are joined by OR."""

    groups: tuple[tuple[Term, ...], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def ranks(self) -> bool:
        """Whether relevance means anything: some words to find, not only filters."""
        return any(
            term.kind in (*TEXT_KINDS, "from") and not term.negated
            for group in self.groups
            for term in group
        )

    @property
    def highlight_words(self) -> frozenset[str]:
        """Folded words worth marking in a snippet: those the reader asked to find."""
        return frozenset(
            fold_word(word)
            for group in self.groups
            for term in group
            if term.kind in TEXT_KINDS and not term.negated
            for word in term.words
        )


def parse(text: str, zone: tzinfo = UTC) -> ParsedQuery:
    """Parse a query; unbalanced quotes, unknown operators and bad dates become plain words.
    Dates are days in `zone` (the site's time zone)."""
    text = text.translate(_QUOTES)
    if text.count('"') % 2:
        at = text.rfind('"')
        text = text[:at] + " " + text[at + 1 :]
    groups: list[list[Term]] = []
    join_next = False
    for match in _PART.finditer(text):
        if len(groups) >= MAX_TERMS:
            break
        negated, operator, value = match.group(1) == "-", match.group(2), match.group(3)
        if value == "OR" and not negated and operator is None:
            join_next = bool(groups)
            continue
        term = _term(operator, value, negated, zone)
        if term is None:
            continue
        if join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return ParsedQuery(tuple(tuple(group) for group in groups))


def _term(operator: str | None, value: str, negated: bool, zone: tzinfo) -> Term | None:
    quoted = len(value) >= 2 and value[0] == value[-1] == '"'
    bare = value[1:-1] if quoted else value
    op = operator.lower() if operator else None
    term = _operator_term(op, bare, negated, zone) if op in _OPERATORS else None
    if term is not None:
        return term
    raw = f"{operator}:{bare}" if operator else bare
    return _text_term("phrase" if quoted else "word", raw, negated)


def _text_term(kind: Kind, raw: str, negated: bool) -> Term | None:
    found = tuple(words(raw)[:MAX_PHRASE])
    if not found:
        return None
    if kind in ("word", "phrase"):
        kind = "word" if len(found) == 1 else "phrase"
    return Term(kind, words=found, negated=negated)


def _operator_term(op: str | None, value: str, negated: bool, zone: tzinfo) -> Term | None:
    if op in ("from", "subject", "filename"):
        return _text_term(op, value, negated)  # type: ignore[arg-type]
    if op == "in" and fold(value.lower()) in _ATTACHMENT_WORDS:
        return Term("in_attachments", negated=negated)
    if op == "in" and value.lower().startswith("thread:"):
        op, value = "thread", value[len("thread:") :]
    term: Term | None = None
    if op == "list" and _LIST_NAME.fullmatch(value.lower()):
        term = Term("list", value=value.lower())
    elif op == "thread" and value.isdigit() and value.isascii():
        term = Term("thread", value=str(int(value)))
    elif op == "has" and fold(value) in _ATTACHMENT_WORDS:
        term = Term("attachment")
    elif op in ("before", "after", "on") and (period := parse_period(value, zone)) is not None:
        term = Term(op, period=period)  # type: ignore[arg-type]
    return None if term is None else replace(term, negated=negated)


def parse_period(value: str, zone: tzinfo = UTC) -> Period | None:
    """`2009-04-01`, `2009/04/01`, `01/04/2009` (day first), `2009-04`, `04/2009`, `2009`,
    as days in `zone`, given in naive UTC like the index's dates."""
    value = value.strip()
    if match := _YEAR_FIRST.fullmatch(value):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(value):
        day, month, year = match.groups()
    else:
        return None
    try:
        local = _period(int(year), int(month) if month else None, int(day) if day else None)
        return Period(_naive_utc(local.start, zone), _naive_utc(local.end, zone))
    except (ValueError, OverflowError):
        return None  # no such day (2009-02-30), or beyond the calendar


def _naive_utc(local: datetime, zone: tzinfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def _period(year: int, month: int | None, day: int | None) -> Period:
    if month is None:
        return Period(datetime(year, 1, 1), datetime(year + 1, 1, 1))
    start = datetime(year, month, day or 1)
    if day is not None:
        return Period(start, start + timedelta(days=1))
    end = datetime(year + 1, 1, 1) if month == 12 else datetime(year, month + 1, 1)
    return Period(start, end)


@dataclass(frozen=True, slots=True)
class DateFilter:
    """Dates from `start` (included) to `end` (excluded), either end open; or outside them."""

    start: datetime | None
    end: datetime | None
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Compiled:
    """`match` (and `dates`) decide which messages are found; `scored` also ranks them."""

    match: wq.Query
    scored: wq.Query
    dates: tuple[DateFilter, ...] = ()


def to_whoosh(parsed: ParsedQuery) -> Compiled:
    """Every group must match, on folded words. Words typed with diacritics, words in the
    subject and adjacent plain words (`giáo dục` as typed) only add to the score.

    A date on its own is a `DateFilter` for the searcher to apply to the dates column: far
    cheaper than Whoosh's expansion of a date range into many terms."""
    dates = tuple(_date_filter(g[0]) for g in parsed.groups if len(g) == 1 and g[0].period)
    groups = [g for g in parsed.groups if not (len(g) == 1 and g[0].period)]
    clauses = [_group(group) for group in groups]
    if not any(not term.negated for group in groups for term in group):
        clauses.insert(0, wq.Term("kind", MESSAGE))  # only exclusions: start from every message
    match = wq.And(clauses) if len(clauses) > 1 else clauses[0]
    boosts = [q for group in groups for term in group for q in _boosts(term)]
    boosts.extend(_adjacent_phrases(parsed))
    return Compiled(match, wq.AndMaybe(match, wq.Or(boosts)) if boosts else match, dates)


def _date_filter(term: Term) -> DateFilter:
    period = term.period
    assert period is not None  # noqa: S101 - parse() gives every date term its period
    if term.kind == "before":
        return DateFilter(None, period.start, term.negated)
    if term.kind == "after":
        return DateFilter(period.start, None, term.negated)
    return DateFilter(period.start, period.end, term.negated)


def _group(group: tuple[Term, ...]) -> wq.Query:
    queries = [_term_query(term) for term in group]
    queries = [wq.Not(q) if t.negated else q for q, t in zip(queries, group, strict=True)]
    return queries[0] if len(queries) == 1 else wq.Or(queries)


_FIELD_OF = {"word": "text", "phrase": "text", "subject": "subject"}
_FIELD_OF |= {"from": "sender", "filename": "filename"}


def _term_query(term: Term) -> wq.Query:
    if term.kind == "word" and not term.negated and (stems := stem_queries(term.words[0])):
        return wq.Or([_in_field("text", [fold_word(term.words[0])]), *stems])
    if term.kind in _FIELD_OF:
        return _in_field(_FIELD_OF[term.kind], [fold_word(w) for w in term.words])
    if term.kind in ("list", "thread"):
        return wq.Term(term.kind, term.value)
    if term.kind == "attachment":
        return wq.Term("has_attachment", True)
    if term.kind == "in_attachments":
        return wq.Term("kind", ATTACHMENT)
    return _dates(term)


def _dates(term: Term) -> wq.Query:
    """A date inside an OR group: Whoosh's own (slower) range query."""
    dates = _date_filter(term)
    return wq.DateRange("date", dates.start, dates.end, endexcl=True)


def _in_field(field: str, found: list[str], boost: float = 1.0) -> wq.Query:
    if len(found) == 1:
        return wq.Term(field, found[0], boost=boost)
    return wq.Phrase(field, found, boost=boost)


# Where a term's words, as typed, count for more: its own field's exact twin.
_EXACT_FIELD = {"word": "text_exact", "phrase": "text_exact", "subject": "subject_exact"}
_EXACT_FIELD["from"] = "sender_exact"
_EXACT_FIELD["filename"] = "filename_exact"


def _boosts(term: Term) -> list[wq.Query]:
    """What ranks a found message higher for this term: the same words in the subject, and
    the words as typed with diacritics (`bán` finds bàn and ban too, but ranks bán first;
    `from:hùng` finds Hưng too, but ranks Hùng first)."""
    if term.negated or term.kind not in _EXACT_FIELD:
        return []
    boosts = []
    if term.kind in ("word", "phrase"):
        boosts.append(_in_field("subject", [fold_word(w) for w in term.words], SUBJECT_BOOST))
    field = _EXACT_FIELD[term.kind]
    marked = [w for w in term.words if has_marks(w)]
    if len(marked) == len(term.words):
        boosts.append(_in_field(field, marked, EXACT_BOOST))
    else:
        boosts.extend(wq.Term(field, w, boost=EXACT_BOOST) for w in marked)
    return boosts


def _adjacent_phrases(parsed: ParsedQuery) -> list[wq.Query]:
    """Each pair of consecutive plain words, as one term of the `pairs` field."""
    plain = [
        g[0].words[0] if len(g) == 1 and g[0].kind == "word" and not g[0].negated else None
        for g in parsed.groups
    ]
    return [
        wq.Term("pairs", pair(fold_word(first), fold_word(second)), boost=ADJACENT_BOOST)
        for first, second in zip(plain, plain[1:], strict=False)
        if first is not None and second is not None
    ]
