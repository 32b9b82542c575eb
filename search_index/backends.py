"""Search backends behind one interface: Whoosh on local disk (the embedded default) and
PostgreSQL (`tsvector` and GIN, for several web and worker hosts). Both index the same
documents with the same analysers and read the same query language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from search_index import attachments, pg_attachments, pg_index, pg_rows, pg_search, searcher, sync
from search_index.indexer import index_version, open_index, update_documents, writing
from search_index.schema import SCHEMA_VERSION
from search_index.searcher import Results, SearchRequest

Progress = Callable[[int], None]
WHOOSH = "whoosh"
POSTGRES = "postgres"
NAMES = (WHOOSH, POSTGRES)


class SearchBackend(Protocol):
    @property
    def name(self) -> str: ...

    def index_new(self, session: Session, limit: int = 500, zone: tzinfo = UTC) -> int:
        """Index up to `limit` archived messages the index lacks; how many."""

    def index_attachments(self, session: Session, limit: int = 50, zone: tzinfo = UTC) -> int:
        """Index up to `limit` read attachments the index lacks; how many."""

    def rebuild(
        self,
        session: Session,
        list_id: int | None = None,
        progress: Progress | None = None,
        zone: tzinfo = UTC,
    ) -> int:
        """Index every message and read attachment again (of one list, or all); how many
        messages."""

    def put(self, session: Session, docs: Iterable[dict[str, object]]) -> int:
        """Add or replace these search documents (`documents.document`) at once."""

    def forget(self, session: Session, pks: Sequence[int]) -> None:
        """Remove these messages from the index."""

    def search(self, session: Session, request: SearchRequest) -> Results:
        """One page of results."""

    def outdated(self, session: Session) -> int | None:
        """The version of an index made by an older analysis, None when current or empty."""


@dataclass(frozen=True, slots=True)
class WhooshBackend:
    folder: Path
    name: str = WHOOSH

    def index_new(self, session: Session, limit: int = 500, zone: tzinfo = UTC) -> int:
        return sync.index_new(session, self.folder, limit, zone=zone)

    def index_attachments(self, session: Session, limit: int = 50, zone: tzinfo = UTC) -> int:
        return attachments.index_new_attachments(session, self.folder, limit, zone=zone)

    def rebuild(
        self,
        session: Session,
        list_id: int | None = None,
        progress: Progress | None = None,
        zone: tzinfo = UTC,
    ) -> int:
        return sync.rebuild(session, self.folder, list_id, progress, zone=zone)

    def put(self, session: Session, docs: Iterable[dict[str, object]]) -> int:
        with writing(open_index(self.folder), timeout=10.0) as writer:
            return update_documents(writer, docs)

    def forget(self, session: Session, pks: Sequence[int]) -> None:
        sync.forget(self.folder, list(pks))

    def search(self, session: Session, request: SearchRequest) -> Results:
        return searcher.search(self.folder, request)

    def outdated(self, session: Session) -> int | None:
        version = index_version(self.folder)
        return None if version is None or version == SCHEMA_VERSION else version


@dataclass(frozen=True, slots=True)
class PostgresBackend:
    name: str = POSTGRES

    def index_new(self, session: Session, limit: int = 500, zone: tzinfo = UTC) -> int:
        return pg_index.index_new(session, limit, zone=zone)

    def index_attachments(self, session: Session, limit: int = 50, zone: tzinfo = UTC) -> int:
        return pg_attachments.index_new_attachments(session, limit, zone=zone)

    def rebuild(
        self,
        session: Session,
        list_id: int | None = None,
        progress: Progress | None = None,
        zone: tzinfo = UTC,
    ) -> int:
        return pg_index.rebuild(session, list_id, progress, zone=zone)

    def put(self, session: Session, docs: Iterable[dict[str, object]]) -> int:
        count = pg_rows.put(session, docs)
        session.commit()
        return count

    def forget(self, session: Session, pks: Sequence[int]) -> None:
        pg_index.forget(session, pks)

    def search(self, session: Session, request: SearchRequest) -> Results:
        return pg_search.search(session, request)

    def outdated(self, session: Session) -> int | None:
        version = pg_index.indexed_version(session)
        return None if version is None or version == SCHEMA_VERSION else version


def backend(name: str, folder: Path) -> SearchBackend:
    """The backend called `name` (`whoosh` keeps its index in `folder`)."""
    if name == POSTGRES:
        return PostgresBackend()
    if name == WHOOSH:
        return WhooshBackend(folder)
    raise ValueError(f"unknown search backend {name!r}: one of {', '.join(NAMES)}")
