"""Search documents built from archive rows: the author's own text, not quotes or signatures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Attachment, MailingList, Message
from archive.own_text import own_text
from archive.web_posts import readable_text
from search_index.schema import MESSAGE
from search_index.snippets import SNIPPET_SCAN

MAX_TEXT = 64_000  # characters of a body worth indexing (pasted logs go on for megabytes)
CHUNK = 500


@dataclass(frozen=True, slots=True)
class MessageRow:
    """What the index needs of one archived message."""

    pk: int
    list_name: str
    list_id: int
    thread_id: int
    message_hash: str
    subject: str
    sender_name: str
    sender_email: str
    date: datetime
    received_at: datetime
    body_text: str
    attachment_names: tuple[str, ...] = ()
    message_id: str = ""  # tells a web post (Markdown) from mail


def own_words(message_id: str, body_text: str) -> str:
    """What the index and the snippets read of a message: the author's own words as a
    reader sees them (a web post's Markdown rendered), without quotes, signatures,
    disclaimers or list footers."""
    return own_text(readable_text(message_id, body_text[: MAX_TEXT * 4]))[:MAX_TEXT]


def naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _local_year(moment: datetime, zone: tzinfo) -> int:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return aware.astimezone(zone).year
    except OverflowError:  # the first or last hours of the calendar
        return aware.year


def document(row: MessageRow, zone: tzinfo = UTC) -> dict[str, object]:
    """The fields of one message's search document (stored and indexed); the year is the
    year in `zone`, the site's time zone, as `on:YEAR` reads it."""
    body = own_words(row.message_id, row.body_text)
    text = "\n".join((row.subject, row.sender_name, *row.attachment_names, body))
    date = naive_utc(row.date)
    return {
        "kind": MESSAGE,
        "pk": str(row.pk),
        "list": row.list_name,
        "list_id": str(row.list_id),
        "thread": str(row.thread_id),
        "hash": row.message_hash,
        "date": date,
        "year": f"{_local_year(row.date, zone):04d}",
        "text": text,
        # ASCII text has no word with diacritics and no pair to record: skip analysing it
        "text_exact": "" if text.isascii() else text,
        "pairs": "" if text.isascii() else text,
        "text_stem": text,
        "subject": row.subject,
        "subject_exact": "" if row.subject.isascii() else row.subject,
        "sender": f"{row.sender_name} {row.sender_email}",
        "sender_exact": "" if row.sender_name.isascii() else row.sender_name,
        "sender_name": row.sender_name,
        "sender_email": row.sender_email,
        "has_attachment": bool(row.attachment_names),
        "own": body[:SNIPPET_SCAN],  # what a snippet reads, split from quotes once for all
    }


_COLUMNS = (
    Message.id,
    MailingList.name,
    Message.list_id,
    Message.thread_id,
    Message.message_id_hash,
    Message.message_id,
    Message.subject,
    Message.sender_name,
    Message.sender_email,
    Message.date,
    Message.received_at,
    Message.body_text,
    Message.has_attachments,
)


def load_rows(session: Session, pks: Sequence[int]) -> list[MessageRow]:
    """The rows of these messages (in pk order); pks that no longer exist are left out."""
    rows: list[MessageRow] = []
    for start in range(0, len(pks), CHUNK):
        part = pks[start : start + CHUNK]
        query = (
            select(*_COLUMNS)
            .join(MailingList, MailingList.id == Message.list_id)
            .where(Message.id.in_(part))
            .order_by(Message.id)
        )
        rows.extend(_rows(session, session.execute(query).all()))
    return rows


def iter_rows(
    session: Session,
    list_id: int | None = None,
    batch: int = CHUNK,
    after: int = 0,
    through: int | None = None,
) -> Iterator[list[MessageRow]]:
    """Every message (of one list, or all; with a pk above `after` and up to `through`), in
    batches in pk order, in bounded memory."""
    while True:
        query = (
            select(*_COLUMNS)
            .join(MailingList, MailingList.id == Message.list_id)
            .where(Message.id > after)
            .order_by(Message.id)
            .limit(batch)
        )
        if list_id is not None:
            query = query.where(Message.list_id == list_id)
        if through is not None:
            query = query.where(Message.id <= through)
        found = session.execute(query).all()
        if not found:
            return
        after = found[-1][0]
        yield _rows(session, found)


def _rows(session: Session, found: Sequence[Any]) -> list[MessageRow]:
    """Rows of `_COLUMNS` (whose last column says whether there are attachments)."""
    with_files = [row[0] for row in found if row[-1]]
    names = _attachment_names(session, with_files) if with_files else {}
    return [_row(row, names.get(row[0], ())) for row in found]


def _row(values: Any, attachment_names: tuple[str, ...]) -> MessageRow:
    pk, list_name, list_id, thread_id, message_hash, message_id, subject, *rest = values
    sender_name, sender_email, date, received_at, body_text, _ = rest
    return MessageRow(
        pk,
        list_name,
        list_id,
        thread_id,
        message_hash,
        subject,
        sender_name,
        sender_email,
        date,
        received_at,
        body_text,
        attachment_names,
        message_id,
    )


def _attachment_names(session: Session, pks: Sequence[int]) -> dict[int, tuple[str, ...]]:
    names: defaultdict[int, list[str]] = defaultdict(list)
    query = (
        select(Attachment.message_pk, Attachment.filename)
        .where(Attachment.message_pk.in_(pks))
        .order_by(Attachment.message_pk, Attachment.position)
    )
    for pk, filename in session.execute(query):
        names[pk].append(filename)
    return {pk: tuple(files) for pk, files in names.items()}
