"""Attachments' search documents, whatever the backend: one per read attachment, beside its
message's document. It carries its message's list, thread, date and sender (so the readable
lists filter it like its message) and its own text and file name; `in:attachments` finds only
these, `-in:attachments` only messages. Which attachments an index holds is written in the
database (`indexed_in`, a token the index keeps): a new or cleared index takes them all again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from archive.models import Attachment, AttachmentText, MailingList, Message
from search_index.documents import naive_utc
from search_index.schema import ATTACHMENT

MAX_INDEXED = 200_000  # characters of an attachment's text indexed (snippets read them all)
BATCH = 50


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    attachment_id: int
    position: int
    filename: str
    status: str
    unit: str
    text: str
    message_pk: int
    list_name: str
    list_id: int
    thread_id: int
    message_hash: str
    subject: str
    sender_name: str
    sender_email: str
    date: datetime


def attachment_document(row: AttachmentRow, zone: tzinfo = UTC) -> dict[str, object]:
    text = row.text[:MAX_INDEXED]
    aware = row.date if row.date.tzinfo else row.date.replace(tzinfo=UTC)
    return {
        "kind": ATTACHMENT,
        "pk": f"a{row.attachment_id}",
        "list": row.list_name,
        "list_id": str(row.list_id),
        "thread": str(row.thread_id),
        "hash": row.message_hash,
        "date": naive_utc(row.date),
        "year": f"{aware.astimezone(zone).year:04d}",
        "text": text,
        "text_exact": "" if text.isascii() else text,
        "pairs": "" if text.isascii() else text,
        "text_stem": text,  # English inflections in an attachment count as in a message
        "sender": f"{row.sender_name} {row.sender_email}",
        "sender_exact": "" if row.sender_name.isascii() else row.sender_name,
        "sender_name": row.sender_name,
        "sender_email": row.sender_email,
        "has_attachment": True,
        "filename": row.filename,
        "filename_exact": "" if row.filename.isascii() else row.filename,
        "attachment": {
            "id": row.attachment_id,
            "message_pk": row.message_pk,
            "position": row.position,
            "name": row.filename,
            "subject": row.subject,
            "unit": row.unit,
            "status": row.status,
        },
    }


def _rows_query() -> Any:  # a Select of AttachmentRow's columns
    return (
        select(
            AttachmentText.attachment_id,
            Attachment.position,
            Attachment.filename,
            AttachmentText.status,
            AttachmentText.unit,
            AttachmentText.text,
            Message.id,
            MailingList.name,
            Message.list_id,
            Message.thread_id,
            Message.message_id_hash,
            Message.subject,
            Message.sender_name,
            Message.sender_email,
            Message.date,
        )
        .join(Attachment, Attachment.id == AttachmentText.attachment_id)
        .join(Message, Message.id == Attachment.message_pk)
        .join(MailingList, MailingList.id == Message.list_id)
        .where(AttachmentText.status != "working")
        .order_by(AttachmentText.attachment_id)
    )


def _rows(session: Session, query: Select[Any]) -> list[AttachmentRow]:
    return [AttachmentRow(*row) for row in session.execute(query)]


def pending(session: Session, token: str, limit: int) -> list[AttachmentRow]:
    """Up to `limit` read attachments the index of `token` lacks."""
    query = _rows_query().where(
        or_(AttachmentText.indexed_in.is_(None), AttachmentText.indexed_in != token)
    )
    return _rows(session, query.limit(limit))


def batches(session: Session, list_id: int | None) -> Iterator[list[AttachmentRow]]:
    """Every read attachment (of one list, or all), in batches."""
    after = 0
    while True:
        query = _rows_query().where(AttachmentText.attachment_id > after)
        if list_id is not None:
            query = query.where(Message.list_id == list_id)
        rows = _rows(session, query.limit(BATCH))
        if not rows:
            return
        yield rows
        after = rows[-1].attachment_id


def mark_all(session: Session, token: str, list_id: int | None, read_before: datetime) -> None:
    """After a rebuild: every attachment (of the list) read before it started is in the
    index of `token` (one read meanwhile is taken up by the next round)."""
    query = update(AttachmentText).where(
        AttachmentText.status != "working", AttachmentText.extracted_at < read_before
    )
    if list_id is not None:
        in_list = (
            select(Attachment.id)
            .join(Message, Message.id == Attachment.message_pk)
            .where(Message.list_id == list_id)
        )
        query = query.where(AttachmentText.attachment_id.in_(in_list))
    session.execute(query.values(indexed_in=token).execution_options(synchronize_session=False))
    session.commit()


def mark(session: Session, token: str, ids: list[int]) -> None:
    session.execute(
        update(AttachmentText)
        .where(AttachmentText.attachment_id.in_(ids))
        .values(indexed_in=token)
        .execution_options(synchronize_session=False)
    )
    session.commit()
