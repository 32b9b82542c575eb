"""The automatic replies one request may cause: a request mail gets at most one reply, and every
reply goes through the limiter (`forum.ratelimit.reply_verdict`). A refused mail request may
get one short "too many requests, try again at HH:MM" notice a day; the web form says the same
on the page instead.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from archive.models import MailingList
from forum.clock import local
from forum.mail import automail
from forum.ratelimit import ReplyAction, notice_allowed, reply_verdict
from forum.settings import Settings


class ReplyGate:
    """Asked before each automatic reply to `address` caused by one request."""

    def __init__(
        self,
        session: Session,
        settings: Settings,
        address: str,
        *,
        by_mail: bool,
        in_reply_to: str | None = None,
        answerable: bool = True,
    ) -> None:
        self.session, self.settings = session, settings
        self.address = address.strip().lower()
        self.by_mail, self.in_reply_to = by_mail, in_reply_to
        self.answered = not answerable  # automatic mail is never answered (RFC 3834)
        self.refused_until: datetime | None = None

    def may(self, action: ReplyAction, mlist: MailingList | None) -> bool:
        """True (and counted) when this reply may go out."""
        if self.by_mail and self.answered:
            return False  # one answer per request mail
        verdict = reply_verdict(self.session, self.address, action, str(mlist.id) if mlist else "")
        if verdict.allowed:
            self.answered = True
            return True
        self.refused_until = verdict.retry_at
        if self.by_mail and notice_allowed(self.session, self.address):
            self.answered = True
            self._too_many(mlist)
        return False

    def retry_time(self) -> str:
        """When to try again, as the site's local HH:MM ("" when nothing was refused)."""
        if self.refused_until is None:
            return ""
        return local(self.refused_until, self.settings.timezone).strftime("%H:%M")

    def _too_many(self, mlist: MailingList | None) -> None:
        at = self.retry_time()
        raw = automail.build(
            self.settings,
            to=self.address,
            subject=lambda: _("Too many requests"),
            body=lambda: _(
                "We received too many requests for %(email)s and did not answer the last one. "
                "Please try again at %(time)s. This notice is sent at most once a day.",
                email=self.address,
                time=at,
            ),
            in_reply_to=self.in_reply_to,
        )
        automail.send(self.session, self.settings, mlist, [self.address], raw)


def too_many_message(gate: ReplyGate) -> str:
    """The web form's answer when the gate refused."""
    message: str = _(
        "Too many requests for this address. Please try again at %(time)s.", time=gate.retry_time()
    )
    return message
