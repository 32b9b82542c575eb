"""Automatic mail from the site (confirmations, welcomes, notes): Vietnamese first, then English.

Every such message comes from the no-reply sender, says it is automatic (RFC 3834
Auto-Submitted) and carries our X-Loop, so no list or responder answers it back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from flask_babel import force_locale
from sqlalchemy.orm import Session

from archive.models import MailingList
from forum.mail.header_folding import OUTGOING, text_encoding
from forum.mail.outbox import enqueue
from forum.mail.routing import list_address
from forum.settings import Settings

Text = Callable[[], str]  # a function giving the text in the current locale


def bilingual(text: Text) -> tuple[str, str]:
    with force_locale("vi"):
        vietnamese = text()
    with force_locale("en"):
        english = text()
    return vietnamese, english


def build(
    settings: Settings,
    *,
    to: str,
    subject: Text,
    body: Text,
    reply_to: str | None = None,
    in_reply_to: str | None = None,
    answering: bool = True,
) -> bytes:
    """One automatic message; `answering` = a reply to someone's mail (RFC 3834 auto-replied)."""
    subject_vi, subject_en = bilingual(subject)
    body_vi, body_en = bilingual(body)
    message = EmailMessage(policy=OUTGOING)
    message["From"] = formataddr((settings.site_name, settings.noreply_address))
    message["To"] = to
    message["Subject"] = subject_vi if subject_vi == subject_en else f"{subject_vi} / {subject_en}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.domain)
    message["Auto-Submitted"] = "auto-replied" if answering else "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message["X-Loop"] = settings.noreply_address
    if reply_to:
        message["Reply-To"] = reply_to
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    english = "" if body_en == body_vi else f"\n\n--- English ---\n\n{body_en}"
    text = f"{body_vi}{english}\n"
    message.set_content(text, charset="utf-8", cte=text_encoding(text))
    return message.as_bytes()


def send(
    session: Session,
    settings: Settings,
    mlist: MailingList | None,
    recipients: Sequence[str],
    raw: bytes,
    kind: str = "notice",
) -> None:
    """Queue an automatic message; its bounces go to the list's (or the site's) bounce address."""
    bounces = (
        list_address(mlist.name, mlist.domain, "bounces") if mlist else settings.noreply_address
    )
    enqueue(
        session,
        raw,
        [(r, bounces) for r in recipients],
        list_id=mlist.id if mlist else None,
        kind=kind,
    )
