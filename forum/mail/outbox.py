"""The durable outbox: enqueue copies, claim them (never twice), and record what happened.

A copy moves queued -> sending (claimed by one worker) -> sent, or -> deferred (retried with
exponential backoff) -> ... -> failed. A claim that is not finished within the lease (its
worker died) is claimed again; on PostgreSQL rows are claimed with FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Connection, Table, and_, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from archive.db import utcnow
from forum.models import Delivery, OutgoingMessage

QUEUED, SENDING, SENT, DEFERRED, FAILED = "queued", "sending", "sent", "deferred", "failed"
CHUNK = 1000

_TABLE = cast(Table, Delivery.__table__)
# Built once: this runs for every copy, and a prepared statement skips the cache-key walk.
_SENT = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("copy_id"), _TABLE.c.state == SENDING)
    .values(
        state=SENT,
        claimed_by=None,
        claimed_at=None,
        sent_at=bindparam("accepted_at", type_=_TABLE.c.sent_at.type),
        attempts=bindparam("tries", type_=_TABLE.c.attempts.type),
    )
)


@dataclass(frozen=True, slots=True)
class Copy:
    """One claimed copy to send."""

    delivery_id: int
    outgoing_id: int
    recipient: str
    envelope_from: str
    attempts: int


def enqueue(
    session: Session,
    raw: bytes,
    envelopes: Sequence[tuple[str, str]],
    *,
    list_id: int | None = None,
    archived_id: int | None = None,
    kind: str = "post",
    subject: str = "",
) -> OutgoingMessage:
    """Queue `raw` for each (recipient, envelope sender); each recipient at most once."""
    outgoing = OutgoingMessage(
        raw=raw, list_id=list_id, archived_id=archived_id, kind=kind, subject=subject[:500]
    )
    session.add(outgoing)
    session.flush()
    now = utcnow()
    unique = {recipient.lower(): (recipient, sender) for recipient, sender in envelopes}
    rows = [
        {
            "outgoing_id": outgoing.id,
            "recipient": recipient,
            "envelope_from": sender,
            "state": QUEUED,
            "attempts": 0,
            "next_attempt_at": now,
            "last_error": "",
        }
        for recipient, sender in unique.values()
    ]
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Delivery), rows[start : start + CHUNK])
    return outgoing


def claim(
    db: Session | Connection, limit: int, lease: timedelta, now: datetime | None = None
) -> list[Copy]:
    """Take up to `limit` due copies for this worker and commit the claim."""
    now = now or utcnow()
    token = uuid.uuid4().hex
    due = or_(
        and_(Delivery.state.in_((QUEUED, DEFERRED)), Delivery.next_attempt_at <= now),
        and_(Delivery.state == SENDING, Delivery.claimed_at < now - lease),
    )
    candidates = (
        select(Delivery.id)
        .where(due)
        .order_by(Delivery.outgoing_id, Delivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("candidates")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    # One statement, so that on SQLite two workers cannot both pick the same candidates and
    # the slower one come back empty-handed while copies are still due. The candidates are
    # chosen once, in a materialised CTE: as a plain IN (subquery), PostgreSQL may run the
    # LIMIT ... SKIP LOCKED subquery again for each row and claim far more than `limit`.
    taken = _connection(db).execute(
        update(Delivery)
        .where(Delivery.id.in_(select(candidates.c.id)), due)
        .values(state=SENDING, claimed_by=token, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    if not taken.rowcount:
        return []
    rows = _connection(db).execute(
        select(
            Delivery.id,
            Delivery.outgoing_id,
            Delivery.recipient,
            Delivery.envelope_from,
            Delivery.attempts,
        )
        .where(Delivery.claimed_by == token, Delivery.state == SENDING)
        .order_by(Delivery.outgoing_id, Delivery.id)
    )
    return [Copy(*row) for row in rows]


def mark_sent(db: Session | Connection, copy: Copy) -> None:
    """Record the server's acceptance at once: a crash after this never resends the copy."""
    values = {"copy_id": copy.delivery_id, "accepted_at": utcnow(), "tries": copy.attempts + 1}
    _connection(db).execute(_SENT, values)
    db.commit()


def mark_failed(db: Session | Connection, copy: Copy, error: str) -> None:
    _finish(db, copy, state=FAILED, last_error=error[:2000], attempts=copy.attempts + 1)


def mark_deferred(
    db: Session | Connection,
    copy: Copy,
    error: str,
    base: timedelta,
    ceiling: timedelta,
    max_attempts: int,
) -> None:
    """Retry later (exponential backoff), or give up after `max_attempts`."""
    attempts = copy.attempts + 1
    if attempts >= max_attempts:
        mark_failed(db, copy, f"gave up after {attempts} attempts: {error}")
        return
    delay = min(base * 2 ** (attempts - 1), ceiling)
    _finish(
        db,
        copy,
        state=DEFERRED,
        last_error=error[:2000],
        attempts=attempts,
        next_attempt_at=utcnow() + delay,
    )


def release(db: Session | Connection, copies: Sequence[Copy]) -> None:
    """Give unsent claimed copies back (shutdown, or a batch past half its lease), without
    counting an attempt."""
    ids = [c.delivery_id for c in copies]
    for start in range(0, len(ids), CHUNK):
        _connection(db).execute(
            update(Delivery)
            .where(Delivery.id.in_(ids[start : start + CHUNK]), Delivery.state == SENDING)
            .values(state=QUEUED, claimed_by=None, claimed_at=None)
        )
    db.commit()


def _finish(db: Session | Connection, copy: Copy, **values: object) -> None:
    """Record one copy's outcome at once: a crash after this never resends it."""
    _connection(db).execute(
        update(_TABLE)
        .where(_TABLE.c.id == copy.delivery_id, _TABLE.c.state == SENDING)
        .values(claimed_by=None, claimed_at=None, **values)
    )
    db.commit()


def _connection(db: Session | Connection) -> Connection:
    """Core statements go straight to the connection: the ORM adds nothing to an UPDATE."""
    return db.connection() if isinstance(db, Session) else db
