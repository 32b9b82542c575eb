"""Notices that need action: who must acknowledge, acknowledgements, reminders, summaries."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import Address, MailingList, Message
from forum import clock
from forum.lists.members import owner_addresses
from forum.mail import automail
from forum.models import Delivery, Member, OutgoingMessage
from forum.notices.models import Acknowledgement, Notice, NoticeList, NoticeReminder
from forum.notices.tags import NoticeTag
from forum.settings import Settings

_SALT = "notice-acknowledgement"


def reminder_days() -> tuple[int, ...]:
    """Days before the deadline when reminders go out (FORUM_REMINDER_DAYS, default 2,1)."""
    raw = os.environ.get("FORUM_REMINDER_DAYS", "2,1")
    return tuple(sorted({int(d) for d in raw.split(",") if d.strip().isdigit()}, reverse=True))


def ack_token(secret: str, notice_id: int, email: str) -> str:
    return URLSafeSerializer(secret, salt=_SALT).dumps([notice_id, email.lower()])


def read_ack_token(secret: str, token: str) -> tuple[int, str] | None:
    try:
        value = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except BadSignature:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], str)
    ):
        return value[0], value[1]
    return None


def ack_url(settings: Settings, notice_id: int, email: str) -> str:
    return f"{settings.base_url}/notices/ack/{ack_token(settings.secret_key, notice_id, email)}"


def register(
    session: Session, settings: Settings, mlist: MailingList, message: Message, tag: NoticeTag
) -> Notice:
    """The notice for this Message-ID (one for a cross-posted message), now also for `mlist`.
    A deadline ends at the end of its day, the site's local time."""
    notice = session.scalar(select(Notice).where(Notice.message_id == message.message_id))
    if notice is None:
        deadline = clock.end_of_day(tag.deadline, settings.timezone) if tag.deadline else None
        notice = Notice(
            message_id=message.message_id,
            subject=message.subject,
            kind=tag.kind,
            deadline=deadline,
            sender_email=message.sender_email,
        )
        session.add(notice)
        session.flush()
    if (
        session.scalar(
            select(NoticeList.id).where(
                NoticeList.notice_id == notice.id, NoticeList.list_id == mlist.id
            )
        )
        is None
    ):
        session.add(NoticeList(notice_id=notice.id, list_id=mlist.id))
        session.flush()
    return notice


def focal_addresses(session: Session, mlist: MailingList) -> list[str]:
    return list(
        session.scalars(
            select(Address.email)
            .join(Member, Member.address_id == Address.id)
            .where(Member.list_id == mlist.id, Member.is_focal_point.is_(True))
            .order_by(Address.email)
        )
    )


@dataclass(frozen=True, slots=True)
class FocalStatus:
    list_name: str
    email: str
    name: str
    unit: str
    acknowledged_at: datetime | None
    how: str
    delivery: str  # sent / queued / failed / none


def status(session: Session, notice: Notice) -> list[FocalStatus]:
    """Every focal point of the notice's groups, with acknowledgement and delivery state."""
    acks = {
        a.email.lower(): a
        for a in session.scalars(
            select(Acknowledgement).where(Acknowledgement.notice_id == notice.id)
        )
    }
    deliveries: dict[str, str] = {}
    for recipient, state in session.execute(
        select(Delivery.recipient, Delivery.state)
        .join(OutgoingMessage, OutgoingMessage.id == Delivery.outgoing_id)
        .join(Message, Message.id == OutgoingMessage.archived_id)
        .where(Message.message_id == notice.message_id)
    ):
        deliveries[recipient.lower()] = state
    rows = session.execute(
        select(MailingList.name, Address.email, Address.display_name, Member.unit)
        .join(NoticeList, NoticeList.list_id == MailingList.id)
        .join(Member, Member.list_id == MailingList.id)
        .join(Address, Address.id == Member.address_id)
        .where(NoticeList.notice_id == notice.id, Member.is_focal_point.is_(True))
        .order_by(MailingList.name, Member.unit, Address.email)
    )
    found = []
    for list_name, email, name, unit in rows:
        ack = acks.get(email.lower())
        found.append(
            FocalStatus(
                list_name,
                email,
                name,
                unit,
                ack.at if ack else None,
                ack.how if ack else "",
                deliveries.get(email.lower(), "none"),
            )
        )
    return found


def acknowledge(session: Session, notice: Notice, email: str, how: str) -> bool:
    """Record it once; True if this is the first acknowledgement from `email`."""
    email = email.lower()
    exists = session.scalar(
        select(Acknowledgement.id).where(
            Acknowledgement.notice_id == notice.id, Acknowledgement.email == email
        )
    )
    if exists is not None:
        return False
    session.add(Acknowledgement(notice_id=notice.id, email=email, how=how))
    session.flush()
    return True


def is_focal_point_of(session: Session, notice: Notice, email: str) -> bool:
    return any(s.email.lower() == email.lower() for s in status(session, notice))


def notice_replied_to(session: Session, ids: Sequence[str]) -> Notice | None:
    if not ids:
        return None
    return session.scalar(select(Notice).where(Notice.message_id.in_(list(ids))))


def send_reminders(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """Remind focal points who have not acknowledged, at each configured day before the deadline."""
    now = now or utcnow()
    sent = 0
    open_notices = session.scalars(
        select(Notice).where(Notice.deadline.is_not(None), Notice.deadline >= now)
    )
    for notice in open_notices:
        assert notice.deadline is not None  # noqa: S101 - filtered above
        today = clock.local_day(now, settings.timezone)
        last_day = clock.local_day(notice.deadline, settings.timezone)
        due = [d for d in reminder_days() if today >= last_day - timedelta(days=d)]
        if not due:
            continue
        days = min(due)
        for row in status(session, notice):
            if row.acknowledged_at is not None or _reminded(session, notice, row.email, days):
                continue
            session.add(
                NoticeReminder(notice_id=notice.id, email=row.email.lower(), days_before=days)
            )
            _mail(
                session,
                settings,
                notice,
                [row.email],
                _reminder_subject(notice),
                _reminder_body(settings, notice, row.email),
            )
            sent += 1
    return sent


def send_deadline_summaries(
    session: Session, settings: Settings, now: datetime | None = None
) -> int:
    """After the deadline, the sender and the owners get who acknowledged and who did not."""
    now = now or utcnow()
    due = session.scalars(
        select(Notice).where(Notice.deadline < now, Notice.summary_sent_at.is_(None))
    ).all()
    for notice in due:
        _summarise(session, settings, notice)
        notice.summary_sent_at = now
    return len(due)


def _summarise(session: Session, settings: Settings, notice: Notice) -> None:
    rows = status(session, notice)
    lines = "\n".join(
        f"- {r.list_name}: {r.unit or '-'} {r.email}: "
        + (
            f"{clock.local(r.acknowledged_at, settings.timezone):%d/%m/%Y %H:%M}"
            if r.acknowledged_at
            else "—"
        )
        for r in rows
    )
    owners: set[str] = set()
    for target in session.scalars(
        select(MailingList)
        .join(NoticeList, NoticeList.list_id == MailingList.id)
        .where(NoticeList.notice_id == notice.id)
    ):
        owners.update(owner_addresses(session, target))
    recipients = sorted({notice.sender_email, *owners} - {""})
    acked = sum(1 for r in rows if r.acknowledged_at)
    _mail(
        session,
        settings,
        notice,
        recipients,
        lambda: _("Deadline passed: %(subject)s", subject=notice.subject),
        lambda: _(
            "%(acked)d of %(total)d focal points acknowledged:\n%(lines)s",
            acked=acked,
            total=len(rows),
            lines=lines,
        ),
    )


def _reminded(session: Session, notice: Notice, email: str, days: int) -> bool:
    return (
        session.scalar(
            select(NoticeReminder.id).where(
                NoticeReminder.notice_id == notice.id,
                NoticeReminder.email == email.lower(),
                NoticeReminder.days_before <= days,
            )
        )
        is not None
    )


def _reminder_subject(notice: Notice) -> automail.Text:
    return lambda: _("Reminder: %(subject)s", subject=notice.subject)


def _reminder_body(settings: Settings, notice: Notice, email: str) -> automail.Text:
    deadline = (
        f"{clock.local(notice.deadline, settings.timezone):%d/%m/%Y}" if notice.deadline else ""
    )
    url = ack_url(settings, notice.id, email)
    return lambda: _(
        "This notice needs your action by %(deadline)s and has not been acknowledged yet:\n"
        '%(subject)s\n\nAcknowledge: %(url)s\n(or reply to the notice with "đã nhận")',
        deadline=deadline,
        subject=notice.subject,
        url=url,
    )


def _mail(
    session: Session,
    settings: Settings,
    notice: Notice,
    to: Sequence[str],
    subject: automail.Text,
    body: automail.Text,
) -> None:
    if not to:
        return
    raw = automail.build(settings, to=", ".join(to), subject=subject, body=body, answering=False)
    automail.send(session, settings, None, list(to), raw)
