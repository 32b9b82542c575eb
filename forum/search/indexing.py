"""Keeping the search index in line with the archive: the worker's step and `forum reindex`.

Indexing is off the SMTP path: the pipeline only stores mail; each worker round indexes what
the index lacks. The index is Whoosh's, under the data folder (the embedded default), or the
PostgreSQL tables (`FORUM_SEARCH_BACKEND=postgres`); either is rebuilt from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from forum import clock
from forum.lists.lists import ListError, find_list
from forum.settings import Settings
from search_index.backends import POSTGRES, SearchBackend, backend

INDEX_FOLDER = "search-index"


class BackendUnavailable(Exception):
    """The PostgreSQL search backend was asked for on another database."""


def index_dir(settings: Settings) -> Path:
    return settings.data_dir / INDEX_FOLDER


def search_backend(settings: Settings) -> SearchBackend:
    if settings.search_backend == POSTGRES and not settings.database_url.startswith("postgres"):
        raise BackendUnavailable("FORUM_SEARCH_BACKEND=postgres needs a PostgreSQL database")
    return backend(settings.search_backend, index_dir(settings))


def index_place(settings: Settings) -> str:
    """Where the index is, for the operator."""
    return "PostgreSQL" if settings.search_backend == POSTGRES else str(index_dir(settings))


def index_pending(session: Session, settings: Settings, limit: int = 500) -> int:
    """Index up to `limit` stored messages the index does not have yet; returns how many
    (0 also when another process is writing the index: the next round catches up)."""
    zone = clock.zone(settings.timezone)
    return search_backend(settings).index_new(session, limit, zone=zone)


def reindex(
    session: Session,
    settings: Settings,
    list_name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the index (or one list's part of it) from the database; returns how many
    messages were indexed. Raises ListError for an unknown list, and IndexBusy when another
    process keeps the index locked."""
    list_id = None
    if list_name is not None:
        mlist = find_list(session, list_name)
        if mlist is None:
            raise ListError(f"no list named {list_name!r}")
        list_id = mlist.id
    zone = clock.zone(settings.timezone)
    return search_backend(settings).rebuild(session, list_id, progress, zone=zone)


def outdated_index(session: Session, settings: Settings) -> int | None:
    """The version of an index left by an older release (its analysis differs: it must be
    rebuilt), or None when the index is current or there is none yet."""
    return search_backend(settings).outdated(session)
