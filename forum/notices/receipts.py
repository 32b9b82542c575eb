"""A focal point who acknowledges a notice (by link or by reply) gets a short receipt by mail,
when one of the notice's groups keeps the `ack_receipt` setting on (the default)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import MailingList
from forum import clock
from forum.lists.lists import policy_of
from forum.mail import automail
from forum.notices.models import Notice, NoticeList
from forum.settings import Settings


def send_receipt(session: Session, settings: Settings, notice: Notice, email: str) -> bool:
    """Mail the receipt of a first acknowledgement; False when the groups want none."""
    lists = session.scalars(
        select(MailingList)
        .join(NoticeList, NoticeList.list_id == MailingList.id)
        .where(NoticeList.notice_id == notice.id)
        .order_by(MailingList.id)
    ).all()
    wanting = [m for m in lists if policy_of(session, m).ack_receipt]
    if not wanting:
        return False
    at = f"{clock.local(utcnow(), settings.timezone):%H:%M %d/%m/%Y}"
    raw = automail.build(
        settings,
        to=email,
        subject=lambda: _("Acknowledged: %(subject)s", subject=notice.subject),
        body=lambda: _(
            'We recorded at %(at)s that %(email)s has received the notice "%(subject)s". '
            "Nothing more is needed.",
            at=at,
            email=email,
            subject=notice.subject,
        ),
    )
    automail.send(session, settings, wanting[0], [email], raw)
    return True
