"""Searching: filters (readable lists), relevance or date order, pages and facets."""

from __future__ import annotations

import heapq
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.fields import TEXT
from whoosh.index import FileIndex
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long

from search_index import postings
from search_index.indexer import open_unmapped
from search_index.match_sets import matching_docs
from search_index.phrases import loosened, required_phrases, with_phrases
from search_index.postings import shared_blocks
from search_index.query import DateFilter, ParsedQuery, to_whoosh
from search_index.ranking import top_documents, union_trees
from search_index.schema import build_schema

MAX_PAGE = 500

postings.install()  # Whoosh's own matchers decode document numbers in C too
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Hit:
    pk: int
    list_name: str
    thread_id: int
    message_hash: str
    subject: str
    sender_name: str
    sender_email: str
    date: datetime
    # found in this attachment's text or name: id, position, name, unit (see attachments.py)
    attachment: dict[str, Any] | None = None
    # the start of the message's own words (`documents.own_words`) as indexed, where stored
    own_text: str | None = None


@dataclass(frozen=True, slots=True)
class Facet:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchRequest:
    query: ParsedQuery
    list_ids: frozenset[int] | None = None  # the lists the reader may see; None = all
    page: int = 1
    per_page: int = 20
    by_date: bool = False
    facets: bool = True


@dataclass(frozen=True, slots=True)
class Results:
    hits: tuple[Hit, ...] = ()
    total: int = 0
    page: int = 1
    per_page: int = 20
    lists: tuple[Facet, ...] = ()  # most results first
    years: tuple[Facet, ...] = ()  # newest first

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, -(-self.total // self.per_page))


@dataclass(slots=True)
class _Columns:
    """Per-document values of one searcher's generation, for counting and sorting sets."""

    lists: list[str]
    years: list[str]
    dates: list[int]
    readable: dict[frozenset[int], frozenset[int]] = field(default_factory=dict)


@dataclass(slots=True)
class _Open:
    ix: FileIndex
    generation: int
    searcher: Searcher
    columns: _Columns


_TEXT_FIELDS = tuple(name for name, field in build_schema().items() if isinstance(field, TEXT))
MAX_IDLE = 4  # searchers kept open per index, for as many requests at once
_idle: dict[Path, list[_Open]] = {}
_idle_lock = threading.Lock()


@contextmanager
def _borrowed(folder: Path) -> Iterator[_Open | None]:
    """A searcher of the index in `folder` for this request alone (Whoosh searchers are not
    for sharing between threads), kept for the next request afterwards."""
    with _idle_lock:
        idle = _idle.setdefault(folder, [])
        kept = idle.pop() if idle else None
    opened = _fresh(folder, kept)
    try:
        yield opened
    finally:
        if opened is not None:
            _give_back(folder, opened)


def _give_back(folder: Path, opened: _Open) -> None:
    with _idle_lock:
        idle = _idle[folder]
        if len(idle) < MAX_IDLE:
            idle.append(opened)
            return
    opened.searcher.close()


def close_searchers(folder: Path | None = None) -> None:
    """Close the searchers kept for the index in `folder` (for every index, without one),
    which then holds no file of it open (an index about to be deleted, say)."""
    with _idle_lock:
        folders = [folder] if folder is not None else list(_idle)
        closing = [opened for name in folders for opened in _idle.pop(name, [])]
    for opened in closing:
        opened.searcher.close()


def _fresh(folder: Path, kept: _Open | None) -> _Open | None:
    """`kept` if the index has not changed since, else a new searcher (not Whoosh's
    `refresh()`, which keeps stale deletions in the segments it reuses)."""
    if kept is not None:
        if _generation(kept.ix) == kept.generation:
            return kept
        kept.searcher.close()
    try:
        ix = open_unmapped(folder)
        generation = ix.latest_generation()
        searcher = ix.searcher()
    except (index.IndexError, OSError):  # no index (yet), or one being replaced
        return None
    reader = searcher.reader()
    with _idle_lock:
        _lengths_in_memory(folder, reader)
    columns = _Columns(
        lists=_column(reader, "list", ""),
        years=_column(reader, "year", ""),
        dates=_column(reader, "date", 0, translate=False),
    )
    return _Open(ix, generation, searcher, columns)


# Per-document lengths of each text field, by (segment, field), per index folder: a
# segment's lengths never change, so every searcher of every generation shares them.
_lengths: dict[Path, dict[tuple[str, str], bytes]] = {}


def _lengths_in_memory(folder: Path, reader: IndexReader) -> None:
    """Each text field's per-document lengths (one byte a document, read for every document
    scored) held in memory, instead of one read of the index file each time."""
    known = _lengths.setdefault(folder, {})
    current = set()
    for segment, _offset in reader.leaf_readers():
        per_document = getattr(segment, "_perdoc", None)
        cached = getattr(per_document, "_readers", None)
        if per_document is None or not isinstance(cached, dict):
            continue  # another codec: its own reads stay
        segment_id = segment.segment().segment_id()
        current.add(segment_id)
        for name in _TEXT_FIELDS:
            column = f"_{name}_len"
            if (segment_id, column) not in known and per_document.has_column(column):
                known[segment_id, column] = _read_lengths(per_document, column)
            if (segment_id, column) in known:
                cached[column] = known[segment_id, column]
    for gone in [key for key in known if key[0] not in current]:  # merged away
        del known[gone]


def _read_lengths(per_document: Any, column: str) -> bytes:
    stored = per_document.column_reader(column, LENGTHS_COLUMN)
    raw = stored._dbfile.get(stored._basepos, stored._count)  # one byte a document
    return bytes(raw).ljust(per_document._doccount + 1, b"\0")


def _column(reader: IndexReader, field: str, missing: T, translate: bool = True) -> list[T]:
    """The field's value for every document number, segment by segment. (Whoosh's reader over
    several segments leaves out a segment without the column, such as one holding only the
    index state, which would shift every later document's value onto the wrong document.)"""
    values: list[T] = []
    for segment, _offset in reader.leaf_readers():
        if segment.has_column(field):
            values.extend(segment.column_reader(field, translate=translate))
        else:
            values.extend([missing] * segment.doc_count_all())
    return values


def _generation(ix: FileIndex) -> int | None:
    try:
        generation: int = ix.latest_generation()
    except OSError:  # the folder went away
        return None
    return generation


def search(folder: Path, request: SearchRequest) -> Results:
    """One page of results; an empty query, no readable list or no index give no results."""
    empty = Results(page=request.page, per_page=request.per_page)
    if request.query.is_empty or request.list_ids == frozenset() or request.page > MAX_PAGE:
        return empty
    with _borrowed(folder) as opened:
        if opened is None:
            return empty
        with shared_blocks():
            return _search(opened.searcher, opened.columns, request) or empty


def _search(searcher: Searcher, columns: _Columns, request: SearchRequest) -> Results | None:
    compiled = to_whoosh(request.query)
    phrases = required_phrases(compiled.match)
    docs = matching_docs(searcher, loosened(compiled.match, phrases))
    for dates in compiled.dates:
        docs = _within(docs, columns.dates, dates)
    if request.list_ids is not None:
        docs &= _readable(searcher, columns, request.list_ids)
    docs = with_phrases(searcher.reader(), docs, phrases)  # checked last: the dearest step
    if not docs:
        return None  # (and Whoosh would read an empty filter as no filter at all)
    limit = request.page * request.per_page
    if request.by_date or not request.query.ranks:
        top = heapq.nlargest(limit, docs, key=columns.dates.__getitem__)
    else:
        scored = union_trees(loosened(compiled.scored, phrases))  # `docs` has the phrases
        # Scored only where found, each block unpickled once for the whole search (Whoosh's
        # top-N steps through every posting of each word, its blocks unpickled again).
        ranked = top_documents(searcher, scored, docs, limit)
        if ranked is None:
            found = searcher.search(scored, limit=limit, filter=docs)
            ranked = [found.docnum(n) for n in range(found.scored_length())]
        top = ranked
    start = (request.page - 1) * request.per_page
    hits = tuple(_hit(searcher.stored_fields(docnum)) for docnum in top[start:])
    return Results(
        hits=hits,
        total=len(docs),
        page=request.page,
        per_page=request.per_page,
        lists=_count(columns.lists, docs, by_count=True) if request.facets else (),
        years=_count(columns.years, docs, by_count=False) if request.facets else (),
    )


def _readable(searcher: Searcher, columns: _Columns, list_ids: frozenset[int]) -> frozenset[int]:
    """The documents of these lists (kept for this generation of the index)."""
    found = columns.readable.get(list_ids)
    if found is None:
        query = wq.Or([wq.Term("list_id", str(list_id)) for list_id in sorted(list_ids)])
        found = columns.readable[list_ids] = frozenset(matching_docs(searcher, query))
    return found


def _within(docs: set[int], column: list[int], dates: DateFilter) -> set[int]:
    low = datetime_to_long(dates.start) if dates.start else -1
    high = datetime_to_long(dates.end) if dates.end else 1 << 64
    return {docnum for docnum in docs if (low <= column[docnum] < high) != dates.negated}


def _hit(fields: dict[str, Any]) -> Hit:
    date: datetime = fields["date"]
    attachment = fields.get("attachment")
    if isinstance(attachment, dict):  # an attachment's document: its message's pk and subject
        fields = {**fields, "pk": attachment["message_pk"], "subject": attachment["subject"]}
    return Hit(
        pk=int(fields["pk"]),
        list_name=fields["list"],
        thread_id=int(fields["thread"]),
        message_hash=fields["hash"],
        subject=fields.get("subject", ""),
        sender_name=fields.get("sender_name", ""),
        sender_email=fields.get("sender_email", ""),
        date=date.replace(tzinfo=UTC),
        attachment=attachment if isinstance(attachment, dict) else None,
        own_text=fields.get("own"),
    )


def _count(values: list[str], docs: set[int], by_count: bool) -> tuple[Facet, ...]:
    counts = Counter(map(values.__getitem__, docs))
    facets = [Facet(value, count) for value, count in counts.items() if value]
    if by_count:
        return tuple(sorted(facets, key=lambda f: (-f.count, f.value)))
    return tuple(sorted(facets, key=lambda f: f.value, reverse=True))
