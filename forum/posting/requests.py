"""Commands mailed to `LIST-request@`: help, subscribe, unsubscribe, confirm TOKEN, who.

Reading them is a pure function; running them uses the membership functions.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from archive.folding import fold
from archive.models import MailingList
from forum.lists.lists import join_address
from forum.lists.members import find_member, member_addresses
from forum.lists.replies import ReplyGate
from forum.lists.subscriptions import confirm, find_token, start
from forum.mail import automail
from forum.mail.routing import list_address
from forum.settings import Settings

MAX_LINES = 10  # Mailman reads a few lines; the rest is a signature or a quote
_ALIASES = {
    "help": "help",
    "tro giup": "help",
    "subscribe": "subscribe",
    "join": "subscribe",
    "dang ky": "subscribe",
    "unsubscribe": "unsubscribe",
    "leave": "unsubscribe",
    "huy dang ky": "unsubscribe",
    "roi nhom": "unsubscribe",
    "confirm": "confirm",
    "xac nhan": "confirm",
    "who": "who",
}


def parse_commands(subject: str, body: str) -> list[tuple[str, str]]:
    """(command, argument) pairs from the subject and the first lines of the body, each
    command once (the first time it is written): `help` in subject and body is one help."""
    lines = [subject.removeprefix("Re:").removeprefix("RE:").strip()]
    for line in body.splitlines():
        if line.startswith(">") or line.strip() in ("--", "-- "):
            break
        if line.strip():
            lines.append(line.strip())
        if len(lines) > MAX_LINES:
            break
    found: dict[str, str] = {}
    for line in lines:
        command = _command(line)
        if command is not None:
            found.setdefault(*command)
    return list(found.items())


def _command(line: str) -> tuple[str, str] | None:
    folded = fold(unicodedata.normalize("NFC", line)).lower()
    for alias in sorted(_ALIASES, key=len, reverse=True):
        if folded == alias or folded.startswith(alias + " "):
            return _ALIASES[alias], line[len(alias) :].strip()
    return None


@dataclass(frozen=True, slots=True)
class Request:
    """One message to `LIST-request@`, as far as commands care."""

    sender: str
    display_name: str
    subject: str
    body: str
    message_id: str | None


def run_request(
    session: Session, settings: Settings, mlist: MailingList, mail: Request, gate: ReplyGate
) -> str:
    """Carry out the commands in one message to `LIST-request@`; `gate` lets at most one of
    them answer."""
    sender, display_name, message_id = mail.sender, mail.display_name, mail.message_id
    subject, body = mail.subject, mail.body
    token = find_token(subject)
    if token:
        return f"confirm: {confirm(session, settings, token, sender, gate=gate)}"
    commands = parse_commands(subject, body) or [("help", "")]
    results = []
    for command, argument in commands[:5]:
        if command in ("subscribe", "unsubscribe"):
            action: Literal["join", "leave"] = "join" if command == "subscribe" else "leave"
            note = start(session, settings, mlist, sender, display_name, action, gate)
        elif command == "confirm":
            token = find_token(argument) or "-"
            note = confirm(session, settings, token, sender, gate=gate)
        elif command == "who":
            note = _who(session, settings, mlist, sender, message_id, gate)
        elif gate.may("help", mlist):
            _help(session, settings, mlist, sender, message_id)
            note = "help sent"
        else:
            note = "help not sent (one answer per mail, or rate limited)"
        results.append(f"{command}: {note}")
    return "; ".join(results)


def _help(
    session: Session, settings: Settings, mlist: MailingList, sender: str, message_id: str | None
) -> None:
    join = join_address(session, mlist)
    raw = automail.build(
        settings,
        to=sender,
        subject=lambda: _("Help for %(name)s", name=mlist.display_name),
        body=lambda: _(
            "To join %(name)s, send any message to %(join)s; to leave, to %(leave)s.\n"
            "To write to the group: %(post)s\n\n"
            "Commands go in the subject or the first lines of a message to %(request)s "
            "(with or without diacritics):\n"
            "  đăng ký (subscribe)        join the group (you will be asked to confirm)\n"
            "  hủy đăng ký (unsubscribe)  leave the group (you will be asked to confirm)\n"
            "  xác nhận (confirm) CODE    confirm a request\n"
            "  trợ giúp (help)            this message",
            name=mlist.display_name,
            request=list_address(mlist.name, mlist.domain, "request"),
            join=join,
            leave=list_address(mlist.name, mlist.domain, "leave"),
            post=mlist.posting_address,
        ),
        in_reply_to=message_id,
    )
    automail.send(session, settings, mlist, [sender], raw)


def _who(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    sender: str,
    message_id: str | None,
    gate: ReplyGate,
) -> str:
    member = find_member(session, mlist, sender)
    owner = member is not None and member.role == "owner"
    if not gate.may("help" if owner else "error", mlist):
        return "not answered (one answer per mail, or rate limited)"
    if not owner:
        raw = automail.build(
            settings,
            to=sender,
            subject=lambda: _("Help for %(name)s", name=mlist.display_name),
            body=lambda: _(
                "Only the owners of %(list)s may see its members.", list=mlist.posting_address
            ),
            in_reply_to=message_id,
        )
        automail.send(session, settings, mlist, [sender], raw)
        return "who: refused (not an owner)"
    members = member_addresses(session, mlist)
    raw = automail.build(
        settings,
        to=sender,
        subject=lambda: _("Members of %(name)s", name=mlist.display_name),
        body=lambda: "\n".join(members),
        in_reply_to=message_id,
    )
    automail.send(session, settings, mlist, [sender], raw)
    return f"who: {len(members)} members sent to an owner"
