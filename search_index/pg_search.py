"""Searching the PostgreSQL tables: the same requests and results as the Whoosh searcher,
the query compiled from the same tree (`query.to_whoosh`)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, not_, select
from sqlalchemy.orm import Session

from search_index.pg_schema import search_document as doc
from search_index.pg_terms import condition, dates_between, score
from search_index.query import to_whoosh
from search_index.searcher import MAX_PAGE, Facet, Hit, Results, SearchRequest


def search(session: Session, request: SearchRequest) -> Results:
    """One page of results; an empty query or no readable list give no results."""
    empty = Results(page=request.page, per_page=request.per_page)
    if request.query.is_empty or request.list_ids == frozenset() or request.page > MAX_PAGE:
        return empty
    compiled = to_whoosh(request.query)
    where: list[ColumnElement[bool]] = [condition(compiled.match)]
    for dates in compiled.dates:
        within = dates_between(dates.start, dates.end)
        where.append(not_(within) if dates.negated else within)
    if request.list_ids is not None:
        where.append(doc.c.list_id.in_(sorted(request.list_ids)))
    found = and_(*where)
    total = session.scalar(select(func.count()).select_from(doc).where(found)) or 0
    if not total:
        return empty
    query: Select[Any] = select(
        doc.c.message_pk,
        doc.c.list_name,
        doc.c.thread_id,
        doc.c.message_hash,
        doc.c.subject,
        doc.c.sender_name,
        doc.c.sender_email,
        doc.c.date,
        doc.c.attachment,
    ).where(found)
    if request.by_date or not request.query.ranks:
        query = query.order_by(doc.c.date.desc(), doc.c.message_pk.desc(), doc.c.attachment_id)
    else:
        relevance = score(compiled.match, compiled.scored)
        query = query.order_by(
            relevance.desc(), doc.c.date.desc(), doc.c.message_pk, doc.c.attachment_id
        )
    start = (request.page - 1) * request.per_page
    rows = session.execute(query.offset(start).limit(request.per_page)).all()
    hits = tuple(
        Hit(pk, name, thread, digest, subject, sender, email, date.replace(tzinfo=UTC), found)
        for pk, name, thread, digest, subject, sender, email, date, found in rows
    )
    return Results(
        hits=hits,
        total=total,
        page=request.page,
        per_page=request.per_page,
        lists=_facets(session, doc.c.list_name, found, by_count=True) if request.facets else (),
        years=_facets(session, doc.c.year, found, by_count=False) if request.facets else (),
    )


def _facets(
    session: Session, column: ColumnElement[str], found: ColumnElement[bool], by_count: bool
) -> tuple[Facet, ...]:
    query = select(column, func.count()).where(found).group_by(column)
    facets = [Facet(value, count) for value, count in session.execute(query) if value]
    if by_count:
        return tuple(sorted(facets, key=lambda f: (-f.count, f.value)))
    return tuple(sorted(facets, key=lambda f: f.value, reverse=True))
