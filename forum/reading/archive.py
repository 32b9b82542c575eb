"""Read-side queries for the web archive: lists, threads, messages, months."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from archive.db import utcnow
from archive.models import Attachment, MailingList, Message, Thread
from forum import clock


@dataclass(frozen=True, slots=True)
class ListSummary:
    mailing_list: MailingList
    thread_count: int
    message_count: int
    last_activity: datetime | None


@dataclass(frozen=True, slots=True)
class MonthCount:
    year: int
    month: int
    threads: int


def list_summaries(session: Session) -> list[ListSummary]:
    stats = (
        select(
            Thread.list_id,
            func.count(Thread.id),
            func.sum(Thread.message_count),
            func.max(Thread.last_activity),
        )
        .group_by(Thread.list_id)
        .subquery()
    )
    query = (
        select(MailingList, stats.c[1], stats.c[2], stats.c[3])
        .outerjoin(stats, stats.c.list_id == MailingList.id)
        .where(MailingList.is_private.is_(False))
        .order_by(MailingList.name)
    )
    return [
        ListSummary(mlist, threads or 0, int(messages or 0), last)
        for mlist, threads, messages, last in session.execute(query)
    ]


def threads_query(
    mlist: MailingList, start: datetime | None = None, end: datetime | None = None
) -> Select[Thread]:
    query = select(Thread).where(Thread.list_id == mlist.id)
    if start is not None and end is not None:
        query = query.where(Thread.started_at >= start, Thread.started_at < end)
        return query.order_by(Thread.started_at.desc(), Thread.id.desc())
    return query.order_by(Thread.last_activity.desc(), Thread.id.desc())


def month_counts(session: Session, mlist: MailingList, zone_name: str) -> list[MonthCount]:
    """Threads by the local month they started in."""
    started = _local_time(session, Thread.started_at, zone_name)
    year = func.extract("year", started)
    month = func.extract("month", started)
    query = (
        select(year, month, func.count(Thread.id))
        .where(Thread.list_id == mlist.id)
        .group_by(year, month)
        .order_by(year.desc(), month.desc())
    )
    return [MonthCount(int(y), int(m), n) for y, m, n in session.execute(query)]


def _local_time(session: Session, column: Any, zone_name: str) -> Any:
    """A stored (naive UTC) time as the zone's wall-clock time, in SQL. PostgreSQL knows the
    zones; SQLite does not, and shifts by the zone's offset of today (exact for Vietnam)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.timezone(zone_name, func.timezone("UTC", column))
    minutes = clock.utc_offset_minutes(zone_name, utcnow())
    return func.datetime(column, f"{minutes:+d} minutes")


def thread_messages_query(thread: Thread) -> Select[Message]:
    return (
        select(Message)
        .where(Message.thread_id == thread.id)
        .order_by(Message.thread_order, Message.id)
        .options(selectinload(Message.attachments))
    )


def find_thread(session: Session, mlist: MailingList, thread_id: int) -> Thread | None:
    thread = session.get(Thread, thread_id)
    return thread if thread is not None and thread.list_id == mlist.id else None


def find_message(session: Session, mlist: MailingList, message_hash: str) -> Message | None:
    query = (
        select(Message)
        .where(Message.list_id == mlist.id, Message.message_id_hash == message_hash)
        .options(selectinload(Message.attachments))
    )
    return session.scalars(query).first()


def find_attachment(message: Message, position: int) -> Attachment | None:
    return next((a for a in message.attachments if a.position == position), None)


def neighbours(session: Session, message: Message) -> Sequence[Message | None]:
    """The previous and next message of the same thread, in thread order."""
    base = select(Message).where(Message.thread_id == message.thread_id)
    previous = session.scalars(
        base.where(Message.thread_order < message.thread_order)
        .order_by(Message.thread_order.desc())
        .limit(1)
    ).first()
    following = session.scalars(
        base.where(Message.thread_order > message.thread_order)
        .order_by(Message.thread_order)
        .limit(1)
    ).first()
    return previous, following


def newest_threads(session: Session, mlist: MailingList, limit: int = 30) -> list[Thread]:
    query = (
        select(Thread)
        .where(Thread.list_id == mlist.id)
        .order_by(Thread.started_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def root_messages(session: Session, threads: Sequence[Thread]) -> dict[int, Message]:
    ids = [t.root_message_id for t in threads if t.root_message_id is not None]
    if not ids:
        return {}
    return {m.thread_id: m for m in session.scalars(select(Message).where(Message.id.in_(ids)))}
