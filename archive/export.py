"""Select a list's messages (all, one thread, one month) and stream them out as mbox."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import IO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, undefer

from archive.mbox import from_line, write_message
from archive.models import Message

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class ExportScope:
    list_id: int
    thread_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def build(
        cls,
        list_id: int,
        *,
        thread_id: int | None = None,
        month: str | None = None,
        zone: tzinfo = UTC,
    ) -> ExportScope:
        """A month is counted in `zone`, the site's time zone, as the web's month pages are."""
        if month is None:
            return cls(list_id, thread_id)
        start, end = month_bounds(month, zone)
        return cls(list_id, thread_id, start, end)


def month_bounds(month: str, zone: tzinfo = UTC) -> tuple[datetime, datetime]:
    """`YYYY-MM` -> [first instant, first instant of the next month) of that month in
    `zone`, as aware UTC datetimes."""
    match = _MONTH.match(month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"month must look like 2009-04, not {month!r}")
    year, mon = int(match.group(1)), int(match.group(2))
    start = datetime(year, mon, 1, tzinfo=zone)
    end = datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _query(scope: ExportScope) -> Select[Message]:
    query = select(Message).where(Message.list_id == scope.list_id)
    if scope.thread_id is not None:
        query = query.where(Message.thread_id == scope.thread_id)
    if scope.start is not None and scope.end is not None:
        query = query.where(Message.date >= scope.start, Message.date < scope.end)
    return query.order_by(Message.date, Message.id).options(undefer(Message.raw))


def iter_scope(session: Session, scope: ExportScope) -> Iterator[Message]:
    """Messages in date order, fetched in small batches (bounded memory)."""
    yield from session.scalars(_query(scope).execution_options(yield_per=200))


def export_list(session: Session, scope: ExportScope, out: IO[bytes]) -> int:
    count = 0
    for message in iter_scope(session, scope):
        write_message(out, message.raw, message.sender_email, message.date)
        count += 1
    return count


def iter_mbox_chunks(session: Session, scope: ExportScope) -> Iterator[bytes]:
    """The same mbox as `export_list`, as byte chunks for a streamed HTTP response."""
    import io

    for message in iter_scope(session, scope):
        buffer = io.BytesIO()
        write_message(buffer, message.raw, message.sender_email, message.date)
        yield buffer.getvalue()


__all__ = ["ExportScope", "export_list", "from_line", "iter_mbox_chunks", "month_bounds"]
