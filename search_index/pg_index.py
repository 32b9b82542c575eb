"""Keeping the PostgreSQL search tables in line with the archive: the worker's claimed step
(new messages in batches), a full rebuild (attachments too), and forgetting deleted messages
(with their attachments).

Progress is the same `IndexState` as the Whoosh index's, kept in `search_state` and written in
the transaction that writes the documents. A round takes the state row's lock with `SKIP
LOCKED`: however many workers run, one indexes a batch at a time and the others go on with
their own work; a worker killed mid-round leaves nothing behind (its transaction is undone).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, tzinfo

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from archive.db import utcnow
from search_index import pg_attachments
from search_index.attachment_documents import mark_all
from search_index.documents import document, iter_rows, load_rows
from search_index.indexer import IndexState
from search_index.pg_rows import put
from search_index.pg_schema import search_document, search_state
from search_index.schema import SCHEMA_VERSION
from search_index.sync import _progress_of, pending_pks

Progress = Callable[[int], None]
STATE_NAME = "messages"


def _claim_state(session: Session, wait: bool) -> IndexState | None:
    """The progress row, locked for this transaction; None when another process holds it."""
    session.execute(
        insert(search_state)
        .values(name=STATE_NAME, version=SCHEMA_VERSION, mark=0, recent="{}")
        .on_conflict_do_nothing()
    )
    query = select(search_state).where(search_state.c.name == STATE_NAME)
    found = session.execute(query.with_for_update(skip_locked=not wait)).first()
    if found is None:
        return None
    if found.version != SCHEMA_VERSION:  # indexed by another analysis: start again
        return IndexState()
    return IndexState(found.mark, {int(k): float(v) for k, v in json.loads(found.recent).items()})


def _save_state(session: Session, state: IndexState) -> None:
    session.execute(
        search_state.update()
        .where(search_state.c.name == STATE_NAME)
        .values(
            version=SCHEMA_VERSION,
            mark=state.mark,
            recent=json.dumps({str(k): v for k, v in state.recent.items()}),
        )
    )


def index_new(
    session: Session, limit: int = 500, now: float | None = None, zone: tzinfo = UTC
) -> int:
    """Index up to `limit` messages the tables lack, and commit; 0 when there are none or
    another worker is indexing right now."""
    now = time.time() if now is None else now
    state = _claim_state(session, wait=False)
    if state is None:
        session.rollback()
        return 0
    pks = pending_pks(session, state, limit)
    new_state = state.with_indexed(pks, now).settled(now)
    if not pks and new_state == state:
        session.rollback()
        return 0
    count = put(session, (document(row, zone) for row in load_rows(session, pks)))
    _save_state(session, new_state)
    session.commit()
    return count


def rebuild(
    session: Session,
    list_id: int | None = None,
    progress: Progress | None = None,
    zone: tzinfo = UTC,
) -> int:
    """Index every message and read attachment again (of one list, or all) in one
    transaction: searches see the old documents until it commits."""
    state = _claim_state(session, wait=True)
    started, began = time.time(), utcnow()
    query = delete(search_document)
    if list_id is not None:
        query = query.where(search_document.c.list_id == list_id)
    session.execute(query)
    count, mark, young = 0, 0, dict[int, float]()
    for batch in iter_rows(session, list_id):
        count += put(session, (document(row, zone) for row in batch))
        stamps = ((row.pk, row.received_at) for row in batch)
        mark, young = _progress_of(stamps, mark, young, started)
        if progress is not None:
            progress(len(batch))
    if list_id is None:
        _save_state(session, IndexState(mark, young))
    elif state is not None and state.version != SCHEMA_VERSION:
        _save_state(session, state)
    token = pg_attachments.add_all(session, list_id, zone)
    session.commit()
    mark_all(session, token, list_id, began)  # the attachments read before it began are in
    return count


def forget(session: Session, pks: Sequence[int]) -> None:
    """Remove messages' documents (once deleted from the archive), and commit."""
    session.execute(delete(search_document).where(search_document.c.message_pk.in_(pks)))
    session.commit()


def indexed_version(session: Session) -> int | None:
    """The analysis version of the tables' documents; None when nothing was indexed yet."""
    query = select(search_state.c.version).where(search_state.c.name == STATE_NAME)
    version: int | None = session.scalar(query)
    return version
