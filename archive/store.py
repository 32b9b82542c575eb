"""Idempotent storage of raw mail: dedupe by Message-ID, thread with ghosts, lay threads out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from archive.dates import DateSource
from archive.db import utcnow
from archive.models import Address, Attachment, Ghost, Message, Thread
from archive.parse import parse_message
from archive.parsed import ParsedMessage
from archive.pg_copy import copies, copy_rows
from archive.relayout import relayout_threads
from archive.textclean import storable
from archive.threads import ThreadNode, is_reply_subject, linked_ids, normalize_subject

CHUNK = 500  # keeps IN (...) lists well under every database's parameter limit


@dataclass(frozen=True, slots=True)
class ThreadingOptions:
    """How loosely messages are tied into threads; subject matching is off by default."""

    subject_window: timedelta | None = None


@dataclass(frozen=True, slots=True)
class StoreResult:
    stored: tuple[int, ...]  # primary keys of the messages this call added
    duplicates: int
    flagged: int


def store(
    session: Session, raw: bytes, list_id: int, options: ThreadingOptions | None = None
) -> StoreResult:
    """Store one message in one list (no-op if its Message-ID is already there)."""
    return store_batch(session, list_id, [raw], options)


def store_batch(
    session: Session,
    list_id: int,
    raws: Sequence[bytes],
    options: ThreadingOptions | None = None,
    mbox_dates: Sequence[datetime | None] = (),
) -> StoreResult:
    """Store a batch in one list; the caller commits. Rows and threads stay consistent.
    `mbox_dates` (by position) are the dates of the mbox `From ` lines, a last resort."""
    parsed = [
        parse_message(raw, mbox_dates[index] if index < len(mbox_dates) else None)
        for index, raw in enumerate(raws)
    ]
    return store_parsed(session, list_id, list(zip(parsed, raws, strict=True)), options)


def store_parsed(
    session: Session,
    list_id: int,
    messages: Sequence[tuple[ParsedMessage, bytes]],
    options: ThreadingOptions | None = None,
) -> StoreResult:
    """`store_batch` of messages parsed already (each with its raw bytes)."""
    options = options or ThreadingOptions()
    received = utcnow()
    fresh = _fresh(session, list_id, messages)
    if not fresh:
        return StoreResult((), len(messages), 0)
    parsed = [p for p, _ in fresh]
    thread_of = _assign_threads(session, list_id, parsed, options, received)
    senders = _sender_ids(session, parsed)
    pks = _insert_messages(session, list_id, fresh, thread_of, senders, received)
    _insert_attachments(session, parsed, pks)
    relayout_threads(session, set(thread_of.values()))
    flagged = sum(1 for p in parsed if p.flagged)
    return StoreResult(tuple(pks), len(messages) - len(fresh), flagged)


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fresh(
    session: Session, list_id: int, messages: Sequence[tuple[ParsedMessage, bytes]]
) -> list[tuple[ParsedMessage, bytes]]:
    """The messages whose Message-ID the list has not stored yet, the first of each (parsed
    before this check: nearly every message of a batch is new, and its headers are then read
    once)."""
    candidates: dict[str, tuple[ParsedMessage, bytes]] = {}
    for parsed, raw in messages:
        candidates.setdefault(parsed.message_id, (parsed, raw))
    for part in chunks(list(candidates)):
        query = select(Message.message_id).where(
            Message.list_id == list_id, Message.message_id.in_(part)
        )
        for existing in session.scalars(query):
            candidates.pop(existing, None)
    return list(candidates.values())


def _node(parsed: ParsedMessage) -> ThreadNode:
    return ThreadNode(parsed.message_id, parsed.in_reply_to, parsed.references, parsed.date)


class _Components:
    """Union-find over message ids and existing thread ids ("#<id>")."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        while key != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _known_threads(
    session: Session, list_id: int, ids: Sequence[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Thread ids of stored messages and of ghosts among `ids`."""
    messages: dict[str, int] = {}
    ghosts: dict[str, int] = {}
    for part in chunks(ids):
        for mid, tid in session.execute(
            select(Message.message_id, Message.thread_id).where(
                Message.list_id == list_id, Message.message_id.in_(part)
            )
        ):
            messages[mid] = tid
        for mid, tid in session.execute(
            select(Ghost.message_id, Ghost.thread_id).where(
                Ghost.list_id == list_id, Ghost.message_id.in_(part)
            )
        ):
            ghosts[mid] = tid
    return messages, ghosts


def _assign_threads(
    session: Session,
    list_id: int,
    parsed: Sequence[ParsedMessage],
    options: ThreadingOptions,
    received: datetime,
) -> dict[str, int]:
    """Thread id for each new message, merging threads it links and recording ghosts."""
    links = {p.message_id: linked_ids(_node(p)) for p in parsed}
    every_id = sorted(set().union(*links.values()))
    stored, ghosts = _known_threads(session, list_id, every_id)
    comps = _Components()
    for mid, linked in links.items():
        for other in linked:
            comps.union(mid, other)
    known = stored | ghosts
    for mid, tid in known.items():
        comps.union(mid, f"#{tid}")
    by_root: dict[str, list[str]] = {}
    for key in every_id:
        by_root.setdefault(comps.find(key), []).append(key)
    thread_of: dict[str, int] = {}
    dates = {p.message_id: p.date or received for p in parsed}
    groups: list[tuple[list[str], list[str], list[int]]] = []
    for members in by_root.values():
        tids = sorted({known[m] for m in members if m in known})
        new_ids = [m for m in members if m in links]
        if not tids and options.subject_window is not None:
            tids = _subject_match(session, list_id, parsed, new_ids, options.subject_window)
        groups.append((members, new_ids, tids))
    fresh = iter(_new_threads(session, list_id, [dates[n[0]] for _, n, t in groups if not t]))
    for members, new_ids, tids in groups:
        survivor = tids[0] if tids else next(fresh)
        if len(tids) > 1:
            _merge_threads(session, survivor, tids[1:])
        for mid in new_ids:
            thread_of[mid] = survivor
        _record_ghosts(session, list_id, members, links, stored, ghosts, survivor)
    return thread_of


def _subject_match(
    session: Session,
    list_id: int,
    parsed: Sequence[ParsedMessage],
    new_ids: Sequence[str],
    window: timedelta,
) -> list[int]:
    """Optional: a lone `Re:` message joins a recent thread with the same subject."""
    if len(new_ids) != 1:
        return []
    message = next(p for p in parsed if p.message_id == new_ids[0])
    if message.in_reply_to or message.references or not is_reply_subject(message.subject):
        return []
    when = message.date or utcnow()
    query = (
        select(Thread.id)
        .where(
            Thread.list_id == list_id,
            Thread.subject_key == normalize_subject(message.subject),
            Thread.last_activity >= when - window,
            Thread.started_at <= when,
        )
        .order_by(Thread.last_activity.desc())
        .limit(1)
    )
    found = session.scalar(query)
    return [found] if found is not None else []


def _new_threads(session: Session, list_id: int, starts: Sequence[datetime]) -> list[int]:
    """One new thread per start date, inserted together; their ids in the same order."""
    if not starts:
        return []
    rows = [{"list_id": list_id, "started_at": when, "last_activity": when} for when in starts]
    statement = insert(Thread).returning(Thread.id, sort_by_parameter_order=True)
    return list(session.connection().scalars(statement, rows))


def _merge_threads(session: Session, survivor: int, others: Sequence[int]) -> None:
    """A message linked two threads: everything moves into the oldest one."""
    session.execute(update(Message).where(Message.thread_id.in_(others)).values(thread_id=survivor))
    session.execute(update(Ghost).where(Ghost.thread_id.in_(others)).values(thread_id=survivor))
    session.execute(delete(Thread).where(Thread.id.in_(others)))


def _record_ghosts(
    session: Session,
    list_id: int,
    members: Sequence[str],
    links: dict[str, frozenset[str]],
    stored: dict[str, int],
    ghosts: dict[str, int],
    thread_id: int,
) -> None:
    """Referenced-but-unseen ids become ghosts; ghosts that just arrived stop being ghosts."""
    arrived = [m for m in members if m in links and m in ghosts]
    if arrived:
        session.execute(
            delete(Ghost).where(Ghost.list_id == list_id, Ghost.message_id.in_(arrived))
        )
    missing = [m for m in members if m not in links and m not in stored and m not in ghosts]
    if missing:
        session.connection().execute(
            insert(Ghost),
            [{"list_id": list_id, "message_id": m, "thread_id": thread_id} for m in missing],
        )


def _sender_ids(session: Session, parsed: Iterable[ParsedMessage]) -> dict[str, int]:
    names = {p.from_email: storable(p.from_name) for p in parsed if p.from_email}
    found: dict[str, int] = {}
    for part in chunks(sorted(names)):
        query = select(Address.email, Address.id).where(Address.email.in_(part))
        found.update({email: pk for email, pk in session.execute(query)})
    missing = [{"email": e, "display_name": n} for e, n in names.items() if e not in found]
    if missing:
        returned = session.execute(
            insert(Address).returning(Address.email, Address.id, sort_by_parameter_order=True),
            missing,
        )
        found.update({email: pk for email, pk in returned})
    return found


def _message_row(
    list_id: int,
    parsed: ParsedMessage,
    raw: bytes,
    thread_id: int,
    sender_id: int | None,
    received: datetime,
) -> dict[str, object]:
    return {
        "list_id": list_id,
        "thread_id": thread_id,
        "message_id": parsed.message_id,
        "message_id_hash": parsed.message_id_hash,
        "synthetic_id": parsed.synthetic_id,
        "in_reply_to": parsed.in_reply_to,
        "references": " ".join(parsed.references),
        "subject": storable(parsed.subject),
        "sender_id": sender_id,
        "sender_name": storable(parsed.from_name)[:255],
        "sender_email": parsed.from_email[:320],
        "date": parsed.date or received,
        "date_source": parsed.date_source if parsed.date else DateSource.ARRIVAL,
        "received_at": received,
        "body_text": storable(parsed.text),
        "body_html": storable(parsed.html) if parsed.html is not None else None,
        "defects": storable("\n".join(parsed.defects)),
        "flagged": parsed.flagged,
        "has_attachments": bool(parsed.attachments),
        "raw_size": len(raw),
        "raw": raw,
    }


def _insert_messages(
    session: Session,
    list_id: int,
    fresh: Sequence[tuple[ParsedMessage, bytes]],
    thread_of: dict[str, int],
    senders: dict[str, int],
    received: datetime,
) -> list[int]:
    rows = [
        _message_row(list_id, p, raw, thread_of[p.message_id], senders.get(p.from_email), received)
        for p, raw in fresh
    ]
    connection = session.connection()
    if copies(connection):
        return copy_rows(connection, Message.__table__, rows, key="id")
    statement = insert(Message).returning(Message.id, sort_by_parameter_order=True)
    return list(connection.scalars(statement, rows))


def _insert_attachments(
    session: Session, parsed: Sequence[ParsedMessage], pks: Sequence[int]
) -> None:
    rows = [
        {
            "message_pk": pk,
            "position": position,
            "filename": storable(a.filename)[:255],
            "content_type": a.content_type[:255],
            "size": a.size,
            "sha256": a.sha256,
            "data": a.data,
        }
        for p, pk in zip(parsed, pks, strict=True)
        for position, a in enumerate(p.attachments)
    ]
    connection = session.connection()
    if rows and copies(connection):
        copy_rows(connection, Attachment.__table__, rows, key=None)
    elif rows:
        connection.execute(insert(Attachment), rows)
