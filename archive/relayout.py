"""Recompute the stored tree (parent, order, depth) and summary figures of changed threads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from archive.dates import UNDATED_ACTIVITY, DateSource
from archive.models import Message, Thread
from archive.threads import Placement, ThreadNode, layout, normalize_subject

_Row: TypeAlias = Row[*tuple[Any, ...]]

_COLUMNS = (
    Message.id,
    Message.thread_id,
    Message.message_id,
    Message.in_reply_to,
    Message.references,
    Message.date,
    Message.date_source,
    Message.sender_email,
    Message.sender_name,
    Message.subject,
    Message.parent_message_id,
    Message.parent_is_ghost,
    Message.thread_order,
    Message.thread_depth,
)


def relayout_threads(session: Session, thread_ids: Iterable[int]) -> None:
    """Lay out each thread from its stored messages; only changed rows are written."""
    ids = sorted(set(thread_ids))
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        rows: dict[int, list[_Row]] = {tid: [] for tid in part}
        for row in session.execute(select(*_COLUMNS).where(Message.thread_id.in_(part))):
            rows[row.thread_id].append(row)
        message_updates: list[dict[str, object]] = []
        thread_updates: list[dict[str, object]] = []
        for tid, members in rows.items():
            if members:
                placements = layout(_nodes(members))
                message_updates.extend(_placement_updates(members, placements))
                thread_updates.append(_thread_summary(tid, members, placements[0]))
        if message_updates:
            session.execute(update(Message), message_updates)
        if thread_updates:
            session.execute(update(Thread), thread_updates)


def _nodes(members: Sequence[_Row]) -> list[ThreadNode]:
    return [
        ThreadNode(row.message_id, row.in_reply_to, tuple(row.references.split()), row.date)
        for row in members
    ]


def _placement_updates(
    members: Sequence[_Row], placements: Sequence[Placement]
) -> list[dict[str, object]]:
    by_id = {row.message_id: row for row in members}
    changed: list[dict[str, object]] = []
    for place in placements:
        row = by_id[place.message_id]
        new = (place.parent_id, place.parent_is_ghost, place.order, place.depth)
        old = (row.parent_message_id, row.parent_is_ghost, row.thread_order, row.thread_depth)
        if new != old:
            changed.append(
                {
                    "id": row.id,
                    "parent_message_id": place.parent_id,
                    "parent_is_ghost": place.parent_is_ghost,
                    "thread_order": place.order,
                    "thread_depth": place.depth,
                }
            )
    return changed


def _participant(row: _Row) -> str:
    """Who wrote: the address, except for mail a list rewrote for DMARC ("An via THPT"),
    where the address is the list's own and only the name tells its authors apart."""
    name = str(row.sender_name or "")
    return name.casefold() if " via " in name else str(row.sender_email)


def _thread_summary(thread_id: int, members: Sequence[_Row], first: Placement) -> dict[str, object]:
    root = next(row for row in members if row.message_id == first.message_id)
    # A message with no usable date is filed at the time it was stored: that is no activity.
    dated = [row.date for row in members if row.date_source != DateSource.ARRIVAL]
    return {
        "id": thread_id,
        "subject": root.subject,
        "subject_key": normalize_subject(root.subject),
        "started_at": min(dated or [row.date for row in members]),
        "last_activity": max(dated) if dated else UNDATED_ACTIVITY,
        "message_count": len(members),
        "participant_count": len({_participant(row) for row in members}),
        "root_message_id": root.id,
    }
