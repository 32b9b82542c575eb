"""The delivery step of the worker: claim due copies, personalise, send, record each outcome."""

from __future__ import annotations

import binascii
import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from archive.models import MailingList, Message
from forum.mail import outbox
from forum.mail.automail import bilingual
from forum.mail.decorate import with_footer, with_headers
from forum.mail.routing import list_address
from forum.mail.topic_links import HEADER as MUTE_HEADER
from forum.mail.topic_links import mute_footer_line, mute_url
from forum.mail.transport import (
    MaildirTransport,
    Payload,
    PermanentFailure,
    SmtpTransport,
    TemporaryFailure,
    Transport,
)
from forum.mail.unsubscribe import unsubscribe_url
from forum.models import Delivery, OutgoingMessage
from forum.settings import Settings
from forum.turns import NO_TURNS, WriteTurns

DELIVERY = "delivery"  # the delivery loop's name at the write lock


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    released: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.deferred + self.failed

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.deferred += other.deferred
        self.failed += other.failed
        self.released += other.released


@dataclass(slots=True)
class _Outgoing:
    raw: bytes
    kind: str
    list_name: str | None
    list_domain: str | None
    thread_id: int | None = None  # of the archived post a copy carries
    # the copy with a placeholder for its mute link, once the first copy proved it exact
    mute_template: _MuteTemplate | None = None
    template_tried: bool = False


@dataclass(slots=True)
class _Cache:
    items: dict[int, _Outgoing] = field(default_factory=dict)

    def get(self, connection: Connection, outgoing_id: int) -> _Outgoing:
        if outgoing_id not in self.items:
            row = connection.execute(
                select(
                    OutgoingMessage.raw,
                    OutgoingMessage.kind,
                    MailingList.name,
                    MailingList.domain,
                    Message.thread_id,
                )
                .outerjoin(MailingList, MailingList.id == OutgoingMessage.list_id)
                .outerjoin(Message, Message.id == OutgoingMessage.archived_id)
                .where(OutgoingMessage.id == outgoing_id)
            ).one()
            self.items[outgoing_id] = _Outgoing(*row)
        return self.items[outgoing_id]


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url, settings.smtp_user, settings.smtp_password)
    return MaildirTransport(settings.maildir)


def personalised(item: _Outgoing, recipient: str, settings: Settings) -> bytes:
    """List mail (posts, digests) gets the recipient's own RFC 8058 one-click unsubscribe link."""
    if item.kind not in ("post", "digest") or item.list_name is None or item.list_domain is None:
        return item.raw
    url = unsubscribe_url(settings.base_url, settings.secret_key, item.list_name, recipient)
    leave = list_address(item.list_name, item.list_domain, "leave")
    raw, headers = item.raw, []
    if item.kind == "post" and item.thread_id is not None:
        mute = mute_url(settings.base_url, settings.secret_key, item.thread_id, recipient)
        raw = _with_mute_line(item, mute)
        headers.append((MUTE_HEADER, f"<{mute}>"))
    headers += [
        ("List-Unsubscribe", f"<mailto:{leave}>, <{url}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    ]
    return with_headers(raw, headers)


_PLACEHOLDER = "x9mute9link9placeholder9x"
# How a footer line may stand in the raw copy: as it is (appended to an 8bit or 7bit text), or
# quoted-printable (each line encoded on its own) with either line end.
_LINE_FORMS: tuple[Callable[[bytes], bytes], ...] = (
    lambda line: line,
    lambda line: binascii.b2a_qp(line, istext=True).replace(b"\n", b"\r\n"),
    lambda line: binascii.b2a_qp(line, istext=True),
)


@dataclass(frozen=True, slots=True)
class _MuteTemplate:
    raw: bytes  # the copy with the placeholder's line in the form below
    form: Callable[[bytes], bytes]
    line: bytes  # the placeholder's line in that form


def _with_mute_line(item: _Outgoing, mute: str) -> bytes:
    """The copy with its recipient's mute line in the footer. The line lands at the same place
    with the same encoding in every copy of a message, so the copies after the first are made
    from a template: the first copy's footer is added as usual, and the template is kept only
    when writing that copy's line into it gives exactly the same bytes."""
    line = mute_footer_line(mute, *mute_labels())
    template = item.mute_template
    if template is not None:
        return template.raw.replace(template.line, template.form(line.encode("utf-8")))
    footed = with_footer(item.raw, line)
    if not item.template_tried:
        item.template_tried = True
        item.mute_template = _template(item.raw, footed, line.encode("utf-8"))
    return footed


def _template(raw: bytes, footed: bytes, line: bytes) -> _MuteTemplate | None:
    placeholder = mute_footer_line(_PLACEHOLDER, *mute_labels())
    marked = with_footer(raw, placeholder)
    for form in _LINE_FORMS:
        marked_line = form(placeholder.encode("utf-8"))
        if marked.count(marked_line) == 1 and marked.replace(marked_line, form(line)) == footed:
            return _MuteTemplate(marked, form, marked_line)
    return None


@functools.cache
def mute_labels() -> tuple[str, str]:
    """ "Mute this topic" in Vietnamese and English (the site's mail speaks both)."""
    return bilingual(lambda: _("Mute this topic"))


def deliver_due(
    session: Session,
    settings: Settings,
    transport: Transport,
    *,
    limit: int = 500,
    now: datetime | None = None,
    stop: threading.Event | None = None,
    turns: WriteTurns = NO_TURNS,
) -> DeliveryReport:
    """Send one batch of due copies; each outcome is committed (in the delivery loop's turn at
    the database's write lock) before the next copy's message is sent: while the server
    reads its envelope."""
    session.commit()  # the batch has its own connection: let nothing of ours hold a lock
    # One connection for the whole batch: a session would give it back to the pool, and
    # check it out again (pinging PostgreSQL), on every commit. Each write of the batch is a
    # single statement, durable when it returns: autocommit spares a BEGIN and a COMMIT.
    engine = session.get_bind(Delivery).engine
    with (
        engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
        _marks_without_flush(connection),
    ):
        return _deliver_batch(connection, settings, transport, limit, now, stop, turns)


@contextmanager
def _marks_without_flush(connection: Connection) -> Iterator[None]:
    """On PostgreSQL, the batch's marks commit without waiting for the WAL flush
    (`synchronous_commit = off`), many times cheaper than one flush a copy. A worker killed
    at any moment still loses and repeats nothing (each mark is committed in the server
    before the next copy is sent); only a crash of PostgreSQL itself may forget the last
    fraction of a second of marks, and those few copies are sent again: never lost."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:  # the connection goes back to the pool: other work there keeps full durability
            connection.exec_driver_sql("RESET synchronous_commit")
        except DBAPIError:
            connection.invalidate()


def _deliver_batch(
    connection: Connection,
    settings: Settings,
    transport: Transport,
    limit: int,
    now: datetime | None,
    stop: threading.Event | None,
    turns: WriteTurns,
) -> DeliveryReport:
    report = DeliveryReport()
    lease = timedelta(seconds=settings.delivery_lease_seconds)
    with turns.hold(DELIVERY):
        copies = outbox.claim(connection, limit, lease, now=now)
    # Past half the lease another worker may soon claim these copies again: give them back.
    give_back_at = time.monotonic() + lease.total_seconds() / 2
    cache = _Cache()
    outcome = _Outcome(_nothing)  # the last copy's, not yet committed
    try:
        for index, copy in enumerate(copies):
            stopping = stop is not None and stop.is_set()
            if stopping or (index and time.monotonic() > give_back_at):
                outcome()
                with turns.hold(DELIVERY):
                    outbox.release(connection, copies[index:])
                report.released += len(copies) - index
                break
            item = cache.get(connection, copy.outgoing_id)
            data = functools.partial(personalised, item, copy.recipient, settings)
            outcome = _deliver_copy(connection, settings, transport, copy, data, outcome, turns)
            report.add(outcome.counts)
    finally:
        outcome()
    return report


class _Outcome:
    """One copy's outcome, committed once: while the next copy's MAIL FROM is read, or at the
    end of the batch. Never later than that, so a crash can resend only the copy whose
    acceptance was not yet recorded, as when each outcome was committed before the next
    copy began; meanwhile the server reads the envelope while the database writes."""

    def __init__(
        self,
        commit: Callable[[], None],
        turns: WriteTurns = NO_TURNS,
        counts: DeliveryReport | None = None,
    ) -> None:
        self.commit: Callable[[], None] | None = commit
        self.turns = turns
        self.counts = counts or DeliveryReport()

    def __call__(self) -> None:
        commit, self.commit = self.commit, None
        if commit is not None:
            with self.turns.hold(DELIVERY):
                commit()


def _nothing() -> None:
    return None


def _deliver_copy(
    connection: Connection,
    settings: Settings,
    transport: Transport,
    copy: outbox.Copy,
    data: Payload,
    previous: _Outcome,
    turns: WriteTurns,
) -> _Outcome:
    """Send one copy, committing the previous copy's outcome on the way: this one's outcome,
    to be committed before anything else is sent."""
    try:
        transport.send(copy.envelope_from, copy.recipient, data, meanwhile=previous)
    except PermanentFailure as error:
        mark = functools.partial(outbox.mark_failed, connection, copy, str(error))
        return _Outcome(mark, turns, DeliveryReport(failed=1))
    except TemporaryFailure as error:
        mark = functools.partial(_defer, connection, settings, copy, str(error))
        return _Outcome(mark, turns, DeliveryReport(deferred=1))
    mark = functools.partial(outbox.mark_sent, connection, copy)
    return _Outcome(mark, turns, DeliveryReport(sent=1))


def _defer(connection: Connection, settings: Settings, copy: outbox.Copy, error: str) -> None:
    outbox.mark_deferred(
        connection,
        copy,
        error,
        base=timedelta(seconds=settings.retry_base_seconds),
        ceiling=timedelta(seconds=settings.retry_max_seconds),
        max_attempts=settings.max_delivery_attempts,
    )
