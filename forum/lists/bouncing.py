"""What a message to a list's bounce address does to its members: a permanent failure raises
the bounce score (past the list's threshold, delivery stops and the owners are told), a
complaint is recorded for the owners to see, and anything else is only logged."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import MailingList
from forum.lists.lists import policy_of
from forum.lists.members import find_member, owner_addresses
from forum.mail.bounce_reports import Kind, classify, verdict
from forum.mail.bounces import BOUNCE_INTERVAL, bounce_weight, decayed_score, verp_recipient
from forum.mail.delivery_reports import Outcome
from forum.mail.feedback_reports import Complaint
from forum.mail.header_folding import OUTGOING, text_encoding
from forum.mail.inbound import address_book
from forum.mail.outbox import enqueue
from forum.mail.routing import list_address, route, split_address
from forum.settings import Settings

# Feedback reports that are not a member's complaint: DMARC/DKIM failure reports are about
# the site's own mail, and "not-spam" takes a complaint back.
_NOT_COMPLAINTS = frozenset({"auth-failure", "not-spam", "dkim", "dmarc"})


def record_bounce(
    session: Session, settings: Settings, mlist: MailingList, verp_tag: str, raw: bytes
) -> str:
    """Read what came to the bounce address and charge the members it is about.

    A member's bounces count once a day at most (as in Mailman): a real failing mailbox bounces
    day after day, while anyone can mail a VERP address, so a flood of forged bounces in one day
    cannot cut a member off. Only a permanent failure counts in full (bounce_weight)."""
    book = address_book(session, settings)
    report = classify(raw, ours=lambda address: route(address, book) is not None)
    verp = verp_recipient(f"{mlist.name}-bounces+{verp_tag}", mlist.name) if verp_tag else None
    if report.kind is Kind.COMPLAINT and report.complaint is not None:
        return _record_complaint(session, mlist, report.complaint, verp)
    found = verdict(report, verp)
    if not found.charges:
        return f"ignored: {found.note}"
    notes = [_charge(session, mlist, email, outcome) for email, outcome in found.charges]
    return f"bounce ({found.note}): " + ", ".join(notes)


def _charge(session: Session, mlist: MailingList, email: str, outcome: Outcome) -> str:
    member = find_member(session, mlist, email)
    if member is None:
        return f"{email} is not a member"
    weight = bounce_weight(outcome)
    if weight == 0:
        return f"{email} {outcome}, not counted"
    now = utcnow()
    if member.last_bounce_at is not None and now - member.last_bounce_at < BOUNCE_INTERVAL:
        return f"{email} already counted today"
    member.bounce_score = decayed_score(member.bounce_score, member.last_bounce_at, now) + weight
    member.last_bounce_at = now
    note = f"{email} {outcome}, score {member.bounce_score:.1f}"
    if member.delivery_enabled and member.bounce_score >= _threshold(session, mlist):
        member.delivery_enabled = False
        _tell_owners_of_disabled(session, mlist, email)
        note += ", delivery disabled"
    return note


def _threshold(session: Session, mlist: MailingList) -> float:
    return policy_of(session, mlist).bounce_threshold


def _record_complaint(
    session: Session, mlist: MailingList, complaint: Complaint, verp: str | None
) -> str:
    kind = complaint.feedback_type
    if kind in _NOT_COMPLAINTS:
        return f"ignored: a feedback report of type {kind}, not a member's complaint"
    about = [verp] if verp else _complained_about(mlist, complaint)
    members = [m for m in (find_member(session, mlist, a) for a in about) if m is not None]
    if not members:
        return f"ignored: a complaint ({kind}) about no member"
    for member in members:
        member.complaint_count += 1
        member.last_complaint_at = utcnow()
    return f"complaint ({kind}) recorded for " + ", ".join(m.address.email for m in members)


def _complained_about(mlist: MailingList, complaint: Complaint) -> list[str]:
    """The member a report to the plain bounce address is about: the VERP envelope sender of
    the reported message names them; failing that, the recipients the report lists."""
    try:
        local, domain = split_address(complaint.original_mail_from)
    except ValueError:
        return list(complaint.recipients)
    found = verp_recipient(local, mlist.name) if domain == mlist.domain.lower() else None
    return [found] if found else list(complaint.recipients)


def _tell_owners_of_disabled(session: Session, mlist: MailingList, email: str) -> None:
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
    text = f"{body}\n\n{english}\n"
    notice.set_content(text, charset="utf-8", cte=text_encoding(text))
    bounces = list_address(mlist.name, mlist.domain, "bounces")
    enqueue(
        session, notice.as_bytes(), [(o, bounces) for o in owners], list_id=mlist.id, kind="notice"
    )
