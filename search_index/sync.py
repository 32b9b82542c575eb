"""Keeping the index in line with the archive: new messages in batches, or a full rebuild.

The database is the truth. Whatever state a crash leaves, the next `index_new` carries on
from the progress committed inside the index, and `rebuild` makes the index anew.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh.writing import IndexWriter

from archive.db import utcnow
from archive.models import Message
from search_index.attachment_documents import mark_all
from search_index.attachments import add_all_attachments, index_token
from search_index.documents import MessageRow, document, iter_rows, load_rows
from search_index.indexer import (
    SETTLE_SECONDS,
    IndexBusy,
    IndexState,
    add_documents,
    delete_documents,
    open_index,
    put_state,
    read_state,
    update_documents,
    writing,
)
from search_index.second_writer import SecondWriter, start_second_writer

Progress = Callable[[int], None]


def pending_pks(session: Session, state: IndexState, limit: int) -> list[int]:
    """Primary keys of stored messages the index does not have yet, oldest first."""
    query = (
        select(Message.id)
        .where(Message.id > state.mark)
        .order_by(Message.id)
        .limit(limit + len(state.recent))
    )
    return [pk for pk in session.scalars(query) if pk not in state.recent][:limit]


def index_new(
    session: Session,
    folder: Path,
    limit: int = 500,
    now: float | None = None,
    zone: tzinfo = UTC,
) -> int:
    """Index up to `limit` messages the index lacks; 0 when there are none or the index is
    being written by someone else (the next round catches up)."""
    now = time.time() if now is None else now
    try:
        ix = open_index(folder)
    except IndexBusy:
        return 0
    state = read_state(ix)
    pks = pending_pks(session, state, limit)
    new_state = state.with_indexed(pks, now).settled(now)
    if not pks and new_state == state:
        return 0
    rows = load_rows(session, pks)
    try:
        with writing(ix) as writer:
            update_documents(writer, (document(row, zone) for row in rows))
            put_state(writer, new_state)
    except IndexBusy:
        return 0
    return len(rows)


def rebuild(
    session: Session,
    folder: Path,
    list_id: int | None = None,
    progress: Progress | None = None,
    timeout: float = 60.0,
    zone: tzinfo = UTC,
) -> int:
    """Index every message again (of one list, or all) in one commit; readers keep seeing the
    old index until then. Raises IndexBusy if another writer keeps the lock."""
    ix = open_index(folder)
    started = time.time()
    count = 0
    token = (index_token(ix) if list_id is not None else None) or secrets.token_hex(8)
    began = utcnow()
    helper = None
    try:
        with writing(ix, timeout=timeout, clear=list_id is None) as writer:
            if list_id is not None:
                writer.delete_by_term("list_id", str(list_id))
                count = add_documents(
                    writer, _documents(iter_rows(session, list_id), progress, zone)
                )
                _add_attachments(writer, session, list_id, zone, token, progress)
                return count
            helper = start_second_writer(session, folder, zone, progress)
            count, state = _add_newer_messages(writer, session, helper, progress, zone, started)
            put_state(writer, state)
            _add_attachments(writer, session, None, zone, token, progress)
            if helper is not None:
                writer.adopt(helper.segment)  # the older half, asked for at the commit
    finally:
        if helper is not None:
            helper.stop()
    mark_all(session, token, None, began)
    return count + (helper.count if helper is not None else 0)


def _add_newer_messages(
    writer: IndexWriter,
    session: Session,
    helper: SecondWriter | None,
    progress: Progress | None,
    zone: tzinfo,
    started: float,
) -> tuple[int, IndexState]:
    """Every message into a cleared index, or with a second writer (`second_writer`) at
    work on the older half, the newer half; how many, and the index's state after all."""
    if helper is None:
        return _add_rows(writer, iter_rows(session), progress, zone, started, (0, {}))
    through = helper.part.through
    older = _progress_of(_stamps(session, through), 0, {}, started)

    def both(count: int) -> None:
        helper.tell_progress()
        if progress is not None:
            progress(count)

    return _add_rows(writer, iter_rows(session, after=through), both, zone, started, older)


def _add_rows(
    writer: IndexWriter,
    batches: Iterable[list[MessageRow]],
    progress: Progress | None,
    zone: tzinfo,
    started: float,
    mark_young: tuple[int, dict[int, float]],
) -> tuple[int, IndexState]:
    """Messages in pk order after those of `mark_young` (the state of those before)."""
    count = 0
    mark, young = mark_young
    for batch in batches:
        count += add_documents(writer, (document(row, zone) for row in batch))
        mark, young = _progress_of(
            ((row.pk, row.received_at) for row in batch), mark, young, started
        )
        if progress is not None:
            progress(len(batch))
    return count, IndexState(mark, young)


def _stamps(session: Session, through: int) -> Iterator[tuple[int, datetime]]:
    """Each message's pk and storing time, up to pk `through`, in pk order."""
    query = (
        select(Message.id, Message.received_at).where(Message.id <= through).order_by(Message.id)
    )
    rows = session.execute(query.execution_options(yield_per=2_000))
    return ((pk, received_at) for pk, received_at in rows)


def _add_attachments(
    writer: IndexWriter,
    session: Session,
    list_id: int | None,
    zone: tzinfo,
    token: str,
    progress: Progress | None,
) -> None:
    """Attachments' documents into a rebuild (`progress` hears of them as 0 messages)."""
    began = utcnow()
    for _batch in add_all_attachments(writer, session, list_id, zone, token):
        if progress is not None:
            progress(0)
    if list_id is not None:
        mark_all(session, token, list_id, began)  # the writer commits just after


def _documents(
    batches: Iterator[list[MessageRow]], progress: Progress | None, zone: tzinfo
) -> Iterator[dict[str, object]]:
    for batch in batches:
        yield from (document(row, zone) for row in batch)
        if progress is not None:
            progress(len(batch))


def _progress_of(
    stamps: Iterable[tuple[int, datetime]], mark: int, young: dict[int, float], started: float
) -> tuple[int, dict[int, float]]:
    """Messages (pk and storing time, in pk order) stored within the settle window may have
    older neighbours still in flight: they stay `recent`, so the next `index_new` still
    looks below them."""
    for pk, received_at in stamps:
        stored_at = received_at.timestamp()
        if stored_at < started - SETTLE_SECONDS and not young:
            mark = pk
        else:
            young[pk] = min(stored_at, started)
    return mark, young


def forget(folder: Path, pks: list[int], timeout: float = 10.0) -> None:
    """Remove messages from the index, once deleted from the archive (until then, pages skip
    hits whose message is gone). Raises IndexBusy if another writer keeps the lock."""
    with writing(open_index(folder), timeout=timeout) as writer:
        delete_documents(writer, pks)
