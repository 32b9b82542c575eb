"""Re-reading the dates of stored messages from their raw mail, for archives filed before
dates were checked against the mail servers' stamps (a spam's 1979 or 2026 `Date:`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from archive.dates import DateSource
from archive.models import Message
from archive.parse import date_of
from archive.relayout import relayout_threads

BATCH = 500


@dataclass(frozen=True, slots=True)
class RedateReport:
    checked: int
    changed: int
    threads: int


def repair_dates(session: Session, list_id: int | None = None) -> RedateReport:
    """Give every message (of one list, or all) the date its raw mail supports, record where
    it came from, and lay out again the threads whose dates moved. A message whose mail has
    no usable date keeps its stored date (an mbox line's, or the time it was stored)."""
    checked = changed = 0
    threads: set[int] = set()
    after = 0
    while True:
        query = (
            select(Message.id, Message.thread_id, Message.date, Message.date_source, Message.raw)
            .where(Message.id > after)
            .order_by(Message.id)
            .limit(BATCH)
        )
        if list_id is not None:
            query = query.where(Message.list_id == list_id)
        rows = session.execute(query).all()
        if not rows:
            break
        after = rows[-1].id
        updates = [u for row in rows if (u := _update(row.id, row.date, row.date_source, row.raw))]
        if updates:
            session.execute(update(Message), updates)
            threads.update(row.thread_id for row in rows if row.id in {u["id"] for u in updates})
        checked, changed = checked + len(rows), changed + len(updates)
    relayout_threads(session, threads)
    return RedateReport(checked, changed, len(threads))


def _update(pk: int, date: object, source: str, raw: bytes) -> dict[str, object] | None:
    found, found_source, _ = date_of(raw)
    if found is None:
        kept = source if source in (DateSource.MBOX, DateSource.ARRIVAL) else DateSource.ARRIVAL
        return None if kept == source else {"id": pk, "date_source": kept}
    if found == date and found_source == source:
        return None
    return {"id": pk, "date": found, "date_source": found_source}
