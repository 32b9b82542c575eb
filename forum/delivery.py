"""The delivery step of the worker: claim due copies, personalise, send, record each outcome."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import MailingList
from forum import outbox
from forum.decorate import with_headers
from forum.models import OutgoingMessage
from forum.routing import list_address
from forum.settings import Settings
from forum.transport import (
    MaildirTransport,
    PermanentFailure,
    SmtpTransport,
    TemporaryFailure,
    Transport,
)
from forum.unsubscribe import unsubscribe_url


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    released: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.deferred + self.failed


@dataclass(slots=True)
class _Outgoing:
    raw: bytes
    kind: str
    list_name: str | None  # plain values: commits after each copy expire ORM objects
    list_domain: str | None


@dataclass(slots=True)
class _Cache:
    items: dict[int, _Outgoing] = field(default_factory=dict)

    def get(self, session: Session, outgoing_id: int) -> _Outgoing:
        if outgoing_id not in self.items:
            row = session.execute(
                select(OutgoingMessage.raw, OutgoingMessage.kind, OutgoingMessage.list_id).where(
                    OutgoingMessage.id == outgoing_id
                )
            ).one()
            mlist = session.get(MailingList, row.list_id) if row.list_id else None
            name, domain = (mlist.name, mlist.domain) if mlist else (None, None)
            self.items[outgoing_id] = _Outgoing(row.raw, row.kind, name, domain)
        return self.items[outgoing_id]


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url, settings.smtp_user, settings.smtp_password)
    return MaildirTransport(settings.maildir)


def personalised(item: _Outgoing, recipient: str, settings: Settings) -> bytes:
    """A list post gets the recipient's own RFC 8058 one-click unsubscribe link."""
    if item.kind != "post" or item.list_name is None or item.list_domain is None:
        return item.raw
    url = unsubscribe_url(settings.base_url, settings.secret_key, item.list_name, recipient)
    leave = list_address(item.list_name, item.list_domain, "leave")
    return with_headers(
        item.raw,
        [
            ("List-Unsubscribe", f"<mailto:{leave}>, <{url}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ],
    )


def deliver_due(
    session: Session,
    settings: Settings,
    transport: Transport,
    *,
    limit: int = 500,
    now: datetime | None = None,
    stop: threading.Event | None = None,
) -> DeliveryReport:
    """Send one batch of due copies; each outcome is committed as soon as it is known."""
    report = DeliveryReport()
    copies = outbox.claim(
        session, limit, timedelta(seconds=settings.delivery_lease_seconds), now=now
    )
    cache = _Cache()
    for index, copy in enumerate(copies):
        if stop is not None and stop.is_set():
            outbox.release(session, copies[index:])
            report.released += len(copies) - index
            break
        item = cache.get(session, copy.outgoing_id)
        try:
            transport.send(
                copy.envelope_from, copy.recipient, personalised(item, copy.recipient, settings)
            )
        except PermanentFailure as error:
            outbox.mark_failed(session, copy, str(error))
            report.failed += 1
        except TemporaryFailure as error:
            outbox.mark_deferred(
                session,
                copy,
                str(error),
                base=timedelta(seconds=settings.retry_base_seconds),
                ceiling=timedelta(seconds=settings.retry_max_seconds),
                max_attempts=settings.max_delivery_attempts,
            )
            report.deferred += 1
        else:
            outbox.mark_sent(session, copy)
            report.sent += 1
    return report
