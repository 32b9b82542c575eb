"""Attachment text in the database: claiming a batch to read (so two workers never read the
same file), and recording each outcome. Derived data: `forget_all` lets a rebuild start over."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.extract.outcome import Outcome, Status
from archive.models import Attachment, AttachmentText, Message

LEASE = timedelta(minutes=10)  # a claim older than this was a worker that stopped
MAX_ATTEMPTS = 3  # a file that stopped the worker this often is set aside


def claim(
    session: Session, limit: int, now: datetime | None = None, list_id: int | None = None
) -> list[int]:
    """Attachments taken for reading by this worker (committed at once): first those never
    read, then those whose reader stopped mid-way; oldest first."""
    now = now or utcnow()
    fresh = select(Attachment.id).outerjoin(
        AttachmentText, AttachmentText.attachment_id == Attachment.id
    )
    if list_id is not None:
        fresh = fresh.join(Message, Message.id == Attachment.message_pk).where(
            Message.list_id == list_id
        )
    fresh = fresh.where(AttachmentText.attachment_id.is_(None)).order_by(Attachment.id)
    taken = [pk for pk in session.scalars(fresh.limit(limit)) if _insert_claim(session, pk, now)]
    if len(taken) < limit:
        taken += _reclaim(session, limit - len(taken), now)
    session.commit()
    return taken


def _insert_claim(session: Session, attachment_id: int, now: datetime) -> bool:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = session.execute(
        dialect.insert(AttachmentText)
        .values(
            attachment_id=attachment_id,
            status=Status.WORKING,
            reason="",
            text="",
            unit="",
            pages=0,
            attempts=1,
            claimed_until=now + LEASE,
        )
        .on_conflict_do_nothing()
    )
    return bool(inserted.rowcount)  # type: ignore[attr-defined]


def _reclaim(session: Session, limit: int, now: datetime) -> list[int]:
    stale = session.scalars(
        select(AttachmentText.attachment_id)
        .where(AttachmentText.status == Status.WORKING, AttachmentText.claimed_until < now)
        .limit(limit)
    ).all()
    taken = []
    for pk in stale:
        moved = session.execute(
            update(AttachmentText)
            .where(
                AttachmentText.attachment_id == pk,
                AttachmentText.status == Status.WORKING,
                AttachmentText.claimed_until < now,
            )
            .values(claimed_until=now + LEASE, attempts=AttachmentText.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount:  # type: ignore[attr-defined]
            taken.append(pk)
    given_up = [pk for pk in taken if _attempts(session, pk) > MAX_ATTEMPTS]
    for pk in given_up:
        record(session, pk, Outcome(Status.SKIPPED, "stopped its reader too often"))
    return [pk for pk in taken if pk not in given_up]


def _attempts(session: Session, attachment_id: int) -> int:
    found = session.scalar(
        select(AttachmentText.attempts).where(AttachmentText.attachment_id == attachment_id)
    )
    return found or 0


def record(session: Session, attachment_id: int, outcome: Outcome) -> None:
    """Store what reading the attachment came to; the index takes it up next."""
    session.execute(
        update(AttachmentText)
        .where(AttachmentText.attachment_id == attachment_id)
        .values(
            status=outcome.status,
            reason=outcome.reason,
            text=outcome.text,
            unit=outcome.unit,
            pages=outcome.pages,
            claimed_until=None,
            extracted_at=utcnow(),
            indexed_in=None,
        )
        .execution_options(synchronize_session=False)
    )


def release(session: Session, attachment_id: int) -> None:
    """Give a claim back unread (the worker is stopping): the next round takes it afresh."""
    session.execute(
        delete(AttachmentText).where(
            AttachmentText.attachment_id == attachment_id,
            AttachmentText.status == Status.WORKING,
        )
    )


def forget(session: Session, list_id: int | None = None) -> int:
    """Drop stored texts (of one list, or all) so that they are read again."""
    query = delete(AttachmentText)
    if list_id is not None:
        in_list = (
            select(Attachment.id)
            .join(Message, Message.id == Attachment.message_pk)
            .where(Message.list_id == list_id)
        )
        query = query.where(AttachmentText.attachment_id.in_(in_list))
    removed = session.execute(query.execution_options(synchronize_session=False))
    return int(removed.rowcount)  # type: ignore[attr-defined]


def attachment_file(session: Session, attachment_id: int) -> tuple[str, str, bytes] | None:
    """(filename, content type, bytes) of one attachment; None once deleted."""
    row = session.execute(
        select(Attachment.filename, Attachment.content_type, Attachment.data).where(
            Attachment.id == attachment_id
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def outcomes_of(session: Session, attachment_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """(status, reason) of each of these attachments that has been read."""
    rows = session.execute(
        select(AttachmentText.attachment_id, AttachmentText.status, AttachmentText.reason).where(
            AttachmentText.attachment_id.in_(list(attachment_ids))
        )
    )
    return {pk: (status, reason) for pk, status, reason in rows}
