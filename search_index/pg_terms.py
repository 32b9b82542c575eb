"""From Whoosh's documents and queries to PostgreSQL's: `tsvector` literals made by the same
analysers, and the compiled query tree (`query.to_whoosh`) as SQL over those lexemes. So both
backends read one query language and one set of boosts, whatever streams the schema has."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, cast, false, func, literal, not_, or_, true
from sqlalchemy.dialects.postgresql import TSQUERY
from whoosh import query as wq
from whoosh.fields import TEXT

from search_index.pg_schema import search_document as doc
from search_index.schema import ATTACHMENT, MESSAGE, build_schema

MAX_BIGINT = 2**63
MAX_POSITION = 16_383  # PostgreSQL keeps positions up to this
MAX_POSITIONS = 255  # positions kept per lexeme (PostgreSQL keeps 256)
# `ts_rank` divided by 1 + log(length): in a shorter message the same words weigh more, as
# with Whoosh's BM25F.
RANK_NORMALIZATION = 1
_SCHEMA = build_schema()
# The analysed token streams: every text field of the Whoosh schema, with its analyser.
STREAMS = {name: field.analyzer for name, field in _SCHEMA.items() if isinstance(field, TEXT)}


def lexeme(stream: str, word: str) -> str:
    """One quoted lexeme of `stream`, as a `tsvector` or `tsquery` literal writes it."""
    text = f"{stream}:{word}".replace("\\", "\\\\").replace("'", "''")
    return f"'{text}'"


def tsvector(document: Mapping[str, object]) -> str:
    """Every stream's words of one search document (`search_index.documents.document`), with
    their positions, as a `tsvector` literal."""
    positions: dict[str, list[int]] = {}
    for stream, analyzer in STREAMS.items():
        value = document.get(stream)
        if not isinstance(value, str) or not value:
            continue
        for token in analyzer(value, positions=True, mode="index"):
            found = positions.setdefault(lexeme(stream, token.text), [])
            if len(found) < MAX_POSITIONS:
                found.append(min(token.pos + 1, MAX_POSITION))
    return " ".join(
        f"{word}:{','.join(map(str, sorted(set(where))))}" for word, where in positions.items()
    )


def tsquery(query: wq.Query) -> str | None:
    """The query as `tsquery` text when it is about words only, else None."""
    if isinstance(query, wq.Term) and query.fieldname in STREAMS:
        return lexeme(query.fieldname, query.text)
    if isinstance(query, wq.Phrase) and query.fieldname in STREAMS:
        return "(" + " <-> ".join(lexeme(query.fieldname, w) for w in query.words) + ")"
    if isinstance(query, wq.Not):
        inner = tsquery(query.query)
        return None if inner is None else f"!{inner}"
    if isinstance(query, (wq.And, wq.Or)) and query.subqueries:
        parts = [tsquery(q) for q in query.subqueries]
        if any(part is None for part in parts):
            return None
        joiner = " & " if isinstance(query, wq.And) else " | "
        return "(" + joiner.join(p for p in parts if p is not None) + ")"
    return None


def matches(text: str) -> ColumnElement[bool]:
    return doc.c.terms.op("@@")(cast(text, TSQUERY))


def condition(query: wq.Query) -> ColumnElement[bool]:
    """Which documents the query finds, as a WHERE clause; the words of an AND are looked up
    in one `tsquery` (one GIN scan)."""
    text = tsquery(query)
    if text is not None:
        return matches(text)
    if isinstance(query, wq.Not):
        return not_(condition(query.query))
    if isinstance(query, wq.And):
        words = [t for q in query.subqueries if (t := tsquery(q)) is not None]
        rest = [condition(q) for q in query.subqueries if tsquery(q) is None]
        return and_(*([matches("(" + " & ".join(words) + ")")] if words else []), *rest)
    if isinstance(query, wq.Or):
        return or_(*(condition(q) for q in query.subqueries))
    return _column_condition(query)


def _column_condition(query: wq.Query) -> ColumnElement[bool]:
    if isinstance(query, wq.DateRange):
        return dates_between(query.startdate, query.enddate)
    if isinstance(query, wq.Term):
        return _column_term(query.fieldname, query.text)
    return false()  # nothing the compiler makes: finds nothing rather than everything


def _column_term(field: str, value: Any) -> ColumnElement[bool]:
    if field == "kind":
        return _kind(str(value))
    if field == "list":
        return doc.c.list_name == str(value)
    if field == "list_id":
        return doc.c.list_id == int(value)
    if field == "thread":
        thread = int(value)
        return doc.c.thread_id == thread if thread < MAX_BIGINT else false()
    if field == "has_attachment":
        return doc.c.has_attachment.is_(bool(value))
    return false()


def _kind(kind: str) -> ColumnElement[bool]:
    """A message's own document (attachment 0), or an attachment's."""
    if kind == MESSAGE:
        return doc.c.attachment_id == 0
    return doc.c.attachment_id != 0 if kind == ATTACHMENT else false()


def dates_between(start: datetime | None, end: datetime | None) -> ColumnElement[bool]:
    clauses = []
    if start is not None:
        clauses.append(doc.c.date >= start)
    if end is not None:
        clauses.append(doc.c.date < end)
    return and_(true(), *clauses)


def score(compiled_match: wq.Query, compiled_scored: wq.Query) -> ColumnElement[float]:
    """Relevance: each boost the document matches adds its weight (an exact form, a word in
    the subject, syllables typed together), so exact forms rank first as on Whoosh; how
    often the words occur (`ts_rank`, below 1) orders the rest."""
    boosts = list(_boosts(compiled_scored))
    total: ColumnElement[float] = literal(0.0)
    for boost, text in boosts:
        total = total + case((matches(text), boost), else_=0.0)
    found = list(_positive(compiled_match))
    if found:
        total = total + func.ts_rank(
            doc.c.terms, cast(" | ".join(found), TSQUERY), RANK_NORMALIZATION
        )
    return total


def _boosts(scored: wq.Query) -> Iterator[tuple[float, str]]:
    if not isinstance(scored, wq.AndMaybe):
        return
    extra = scored.b
    for query in extra.subqueries if isinstance(extra, wq.Or) else [extra]:
        text = tsquery(query)
        if text is not None:
            yield float(query.boost), text


def _positive(query: wq.Query) -> Iterator[str]:
    """The words a query asks to find (not those it excludes), as `tsquery` parts."""
    if isinstance(query, (wq.Term, wq.Phrase)):
        text = tsquery(query)
        if text is not None:
            yield text
    elif isinstance(query, (wq.And, wq.Or)):
        for sub in query.subqueries:
            yield from _positive(sub)
