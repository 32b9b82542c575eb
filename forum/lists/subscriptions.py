"""Joining and leaving: a request, a confirmation by reply or link, then a welcome or goodbye.

Tokens are random, stored only as their SHA-256, single use, and expire. A stranger cannot
use us to mail-bomb someone: every reply goes through a `ReplyGate` (join and leave have limits
of their own per address and list, within the address's shared budget of automatic replies).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import MailingList
from forum.lists.lists import join_address
from forum.lists.members import add_member, find_member, owner_addresses
from forum.lists.replies import ReplyGate
from forum.mail import automail
from forum.mail.routing import list_address
from forum.models import Member, PendingRequest
from forum.settings import Settings
from forum.tokens import new_token, token_hash

EXPIRY = timedelta(days=7)
_TOKEN = re.compile(r"\b([0-9a-f]{40})\b")


def find_token(*texts: str) -> str | None:
    """A confirmation token quoted anywhere (a subject, a quoted original)."""
    for text in texts:
        found = _TOKEN.search(text.lower())
        if found:
            return found.group(1)
    return None


def confirm_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url}/confirm/{token}"


def leave_url(settings: Settings, mlist: MailingList) -> str:
    """The page that asks for an address to remove (the link under each delivered copy)."""
    return f"{settings.base_url}/lists/{mlist.name}/leave"


def start(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    email: str,
    display_name: str = "",
    action: Literal["join", "leave"] = "join",
    gate: ReplyGate | None = None,
) -> str:
    """Ask `email` to confirm joining or leaving; returns what happened, for the log.
    `gate` is the request's (a mail's, whose Message-ID the answer refers to); without one,
    a web request's is made."""
    email = email.strip().lower()
    gate = gate or ReplyGate(session, settings, email, by_mail=False)
    in_reply_to = gate.in_reply_to
    if not gate.may(action, mlist):
        return f"rate limited: try again at {gate.retry_time()}"
    member = find_member(session, mlist, email)
    if action == "join" and member is not None:
        _note(session, settings, mlist, email, "already_member", in_reply_to)
        return "already a member"
    if action == "leave" and member is None:
        _note(session, settings, mlist, email, "not_member", in_reply_to)
        return "not a member"
    if action == "leave" and member is not None and member.is_focal_point:
        _forward_focal_leave(session, settings, mlist, email)
        return "focal point: leave request forwarded to the owners"
    token = new_token()
    session.add(
        PendingRequest(
            list_id=mlist.id,
            email=email,
            display_name=display_name[:255],
            action=action,
            token_hash=token_hash(token),
            expires_at=utcnow() + EXPIRY,
        )
    )
    _confirmation(session, settings, mlist, email, token, action, in_reply_to)
    return f"{action} confirmation sent"


def start_join(
    session: Session, settings: Settings, mlist: MailingList, email: str, display_name: str = ""
) -> str:
    return start(session, settings, mlist, email, display_name, "join")


def confirm(
    session: Session,
    settings: Settings,
    token: str,
    sender: str | None,
    now: datetime | None = None,
    gate: ReplyGate | None = None,
) -> str:
    """Carry out a pending request. `sender` is the replying address (None for the web link,
    whose page says what happened); a reply that cannot confirm gets an answer explaining
    what to do, at most once an hour per address."""
    pending = session.scalar(
        select(PendingRequest).where(PendingRequest.token_hash == token_hash(token))
    )
    if pending is None:
        return "unknown"
    mlist = pending.mailing_list
    if sender is not None:
        gate = gate or ReplyGate(session, settings, sender, by_mail=True)
    if sender is not None and sender.lower() != pending.email.lower():
        if gate is not None and gate.may("confirm", mlist):
            _wrong_sender(session, settings, pending, sender, token, gate.in_reply_to)
        return "wrong sender"
    problem = _unusable(pending, now or utcnow())
    if problem:
        if sender is not None and gate is not None and gate.may("confirm", mlist):
            _note(session, settings, mlist, sender, problem, gate.in_reply_to)
        return problem
    pending.used_at = now or utcnow()
    if gate is not None:
        gate.answered = True  # the welcome or goodbye is this mail's one answer
    return _carry_out(session, settings, pending)


def _unusable(pending: PendingRequest, now: datetime) -> str | None:
    if pending.used_at is not None:
        return "used"
    if pending.expires_at < now:
        return "expired"
    return None


def _carry_out(session: Session, settings: Settings, pending: PendingRequest) -> str:
    mlist = pending.mailing_list
    if pending.action == "join":
        joined, created = add_member(session, mlist, pending.email, pending.display_name)
        if created:
            send_welcome(session, settings, mlist, joined)
        return "joined" if created else "already a member"
    leaving = find_member(session, mlist, pending.email)
    if leaving is None:
        return "left"
    return request_leave(session, settings, mlist, leaving)


def request_leave(session: Session, settings: Settings, mlist: MailingList, member: Member) -> str:
    """A member's own wish to leave (one-click link, web): focal points go through the owners."""
    if member.is_focal_point:
        _forward_focal_leave(session, settings, mlist, member.address.email)
        return "forwarded"
    leave(session, settings, mlist, member)
    return "left"


def leave(session: Session, settings: Settings, mlist: MailingList, member: Member) -> None:
    """Remove the member and say goodbye (one-click, web or confirmed mail)."""
    email = member.address.email
    session.delete(member)
    session.flush()
    join = join_address(session, mlist)
    raw = automail.build(
        settings,
        to=email,
        subject=lambda: _("You have left %(name)s", name=mlist.display_name),
        body=lambda: _(
            "%(email)s will no longer receive mail from %(list)s. To join again, send any "
            "message to %(join)s.",
            email=email,
            list=mlist.posting_address,
            join=join,
        ),
        answering=False,
    )
    automail.send(session, settings, mlist, [email], raw)


def send_welcome(session: Session, settings: Settings, mlist: MailingList, member: Member) -> None:
    email = member.address.email
    join = join_address(session, mlist)
    raw = automail.build(
        settings,
        to=email,
        subject=lambda: _("Welcome to %(name)s", name=mlist.display_name),
        body=lambda: _(
            "You are now a member of %(name)s, whose registration address is %(join)s.\n\n"
            "To write to everyone, send your message to %(post)s.\n"
            "To leave, send any message to %(leave)s, or open %(leave_url)s.\n"
            "The archive: %(archive)s",
            name=mlist.display_name,
            join=join,
            post=mlist.posting_address,
            leave=list_address(mlist.name, mlist.domain, "leave"),
            leave_url=leave_url(settings, mlist),
            archive=f"{settings.base_url}/lists/{mlist.name}/",
        ),
        answering=False,
    )
    automail.send(session, settings, mlist, [email], raw)


def _wrong_sender(
    session: Session,
    settings: Settings,
    pending: PendingRequest,
    sender: str,
    token: str,
    in_reply_to: str | None,
) -> None:
    mlist = pending.mailing_list
    raw = automail.build(
        settings,
        to=sender,
        subject=lambda: _("About your request to %(name)s", name=mlist.display_name),
        body=lambda: _(
            "Your reply came from %(sender)s, but the request is for another address, so "
            "nothing has changed. To confirm, reply from the address being subscribed "
            "(the one this confirmation was sent to), or open this link: %(url)s",
            sender=sender,
            url=confirm_url(settings, token),
        ),
        in_reply_to=in_reply_to,
    )
    automail.send(session, settings, mlist, [sender], raw)


def _confirmation(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    email: str,
    token: str,
    action: str,
    in_reply_to: str | None,
) -> None:
    joining = action == "join"
    join = join_address(session, mlist)
    raw = automail.build(
        settings,
        to=email,
        subject=lambda: (
            (
                _("Confirm joining %(name)s", name=mlist.display_name)
                if joining
                else _("Confirm leaving %(name)s", name=mlist.display_name)
            )
            + f" [confirm {token}]"
        ),
        body=lambda: _(
            "We received a request to %(what)s the group %(name)s (%(list)s) for %(email)s.\n\n"
            "To confirm, just press Reply and send: the content does not matter. "
            "Or open this link: %(url)s\n\n"
            "If you did not ask for this, ignore this message. It expires in 7 days.\n\n"
            "The group's registration address: %(join)s",
            join=join,
            what=_("add you to") if joining else _("remove you from"),
            name=mlist.display_name,
            list=mlist.posting_address,
            email=email,
            url=confirm_url(settings, token),
        ),
        reply_to=list_address(mlist.name, mlist.domain, "confirm", token),
        in_reply_to=in_reply_to,
    )
    automail.send(session, settings, mlist, [email], raw)


_NOTES = {
    "already_member": lambda list_name: _(
        "You are already a member of %(list)s; nothing has changed.", list=list_name
    ),
    "not_member": lambda list_name: _(
        "This address is not a member of %(list)s; nothing has changed.", list=list_name
    ),
    "used": lambda list_name: _(
        "This confirmation for %(list)s was already used; nothing has changed.", list=list_name
    ),
    "expired": lambda list_name: _(
        "This confirmation for %(list)s has expired. Send a new request to start again.",
        list=list_name,
    ),
}


def _note(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    email: str,
    kind: str,
    in_reply_to: str | None,
) -> None:
    raw = automail.build(
        settings,
        to=email,
        subject=lambda: _("About your request to %(name)s", name=mlist.display_name),
        body=lambda: _NOTES[kind](mlist.posting_address),
        in_reply_to=in_reply_to,
    )
    automail.send(session, settings, mlist, [email], raw)


def _forward_focal_leave(
    session: Session, settings: Settings, mlist: MailingList, email: str
) -> None:
    owners = owner_addresses(session, mlist)
    if not owners:
        return
    raw = automail.build(
        settings,
        to=", ".join(owners),
        subject=lambda: _("A focal point asks to leave %(name)s", name=mlist.display_name),
        body=lambda: _(
            "%(email)s is the focal point of a unit and cannot leave %(list)s alone. "
            "Please name another focal point, then remove this member.",
            email=email,
            list=mlist.posting_address,
        ),
        answering=False,
    )
    automail.send(session, settings, mlist, owners, raw)
