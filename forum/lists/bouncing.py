"""Bounces against members: a member's score rises with each failure report (decaying), and
past the list's threshold delivery to them stops and the owners are told."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import MailingList
from forum.lists.lists import policy_of
from forum.lists.members import find_member, owner_addresses
from forum.mail.bounces import (
    BOUNCE_INTERVAL,
    bounce_weight,
    decayed_score,
    detect_bounce,
    verp_recipient,
)
from forum.mail.header_folding import OUTGOING
from forum.mail.outbox import enqueue
from forum.mail.routing import list_address
from forum.settings import Settings


def record_bounce(
    session: Session, settings: Settings, mlist: MailingList, verp_tag: str, raw: bytes
) -> str:
    """Raise the bouncing members' scores; past the list's threshold, stop delivering.

    A member's bounces count once a day at most (as in Mailman): a real failing mailbox bounces
    day after day, while anyone can mail a VERP address, so a flood of forged bounces in one day
    cannot cut a member off."""
    report = detect_bounce(raw)
    verp = verp_recipient(f"{mlist.name}-bounces+{verp_tag}", mlist.name) if verp_tag else None
    bouncing = {verp.lower()} if verp else set(report.permanent | report.temporary)
    if not bouncing:
        return "no bouncing address found"
    threshold = policy_of(session, mlist).bounce_threshold
    now = utcnow()
    notes = []
    for email in sorted(bouncing):
        member = find_member(session, mlist, email)
        if member is None:
            notes.append(f"{email} is not a member")
            continue
        if member.last_bounce_at is not None and now - member.last_bounce_at < BOUNCE_INTERVAL:
            notes.append(f"{email} already counted today")
            continue
        permanent = email not in report.temporary or email in report.permanent
        member.bounce_score = decayed_score(
            member.bounce_score, member.last_bounce_at, now
        ) + bounce_weight(permanent)
        member.last_bounce_at = now
        notes.append(f"{email} score {member.bounce_score:.1f}")
        if member.delivery_enabled and member.bounce_score >= threshold:
            member.delivery_enabled = False
            notes.append(f"{email} delivery disabled")
            _tell_owners_of_disabled(session, settings, mlist, email)
    return ", ".join(notes)


def _tell_owners_of_disabled(
    session: Session, settings: Settings, mlist: MailingList, email: str
) -> None:
    owners = owner_addresses(session, mlist)
    if not owners:
        return
    with force_locale("vi"):
        subject = gettext(
            "Delivery to %(email)s stopped (list %(name)s)", email=email, name=mlist.name
        )
        body = gettext(
            "Mail to %(email)s has bounced too often, so the list %(name)s no longer sends to "
            "this address. The member is still subscribed; re-enable delivery once the "
            "address works again.",
            email=email,
            name=mlist.name,
        )
    with force_locale("en"):
        english = gettext(
            "Delivery to %(email)s stopped (list %(name)s)", email=email, name=mlist.name
        )
    notice = EmailMessage(policy=OUTGOING)
    notice["From"] = formataddr(
        (mlist.display_name, list_address(mlist.name, mlist.domain, "owner"))
    )
    notice["To"] = ", ".join(owners)
    notice["Subject"] = subject
    notice["Message-ID"] = make_msgid(domain=mlist.domain)
    notice["Auto-Submitted"] = "auto-generated"
    notice["X-Loop"] = mlist.posting_address
    notice.set_content(f"{body}\n\n{english}\n")
    bounces = list_address(mlist.name, mlist.domain, "bounces")
    enqueue(
        session, notice.as_bytes(), [(o, bounces) for o in owners], list_id=mlist.id, kind="notice"
    )
