"""Held posts: holding, telling the sender and the moderators, and the moderators' decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, object_session

from archive.db import utcnow
from archive.models import MailingList
from archive.parse import parse_message
from archive.parsed import ParsedMessage
from forum.lists.replies import ReplyGate
from forum.mail import automail
from forum.mail.dmarc import DmarcCache
from forum.models import (
    AcceptedSender,
    HeldPost,
    InboundMessage,
)
from forum.posting.accepting import accept
from forum.posting.reasons import HoldReason, ReasonCode, describe, dumps, is_confidential
from forum.ratelimit import allowed
from forum.settings import Settings

NONMEMBER_NOTICE_EVERY = timedelta(days=1)  # a stranger's address: no more (backscatter)


def hold(
    session: Session,
    mlist: MailingList,
    item: InboundMessage,
    sender: str,
    subject: str,
    reasons: Sequence[HoldReason],
) -> HeldPost:
    held = HeldPost(
        list_id=mlist.id,
        inbound_id=item.id,
        sender=sender,
        subject=subject[:1000],
        reasons=dumps(reasons),
    )
    session.add(held)
    session.flush()
    return held


def tell_held(
    session: Session,
    settings: Settings,
    held: HeldPost,
    reasons: Sequence[HoldReason],
    replies: ReplyGate,
) -> None:
    """Tell the author (through the gate of automatic replies to them) that the post waits."""
    mlist, sender, subject = held.mailing_list, held.sender, held.subject
    if not sender or not _may_tell(session, mlist, sender, reasons):
        return
    if not replies.may("held", mlist):
        return
    raw = automail.build(
        settings,
        to=sender,
        subject=lambda: _("Your message to %(name)s awaits approval", name=mlist.display_name),
        body=lambda: _(
            'Your message "%(subject)s" to %(list)s is waiting for a moderator.\nWhy: %(reasons)s',
            subject=subject,
            list=mlist.posting_address,
            reasons="; ".join(describe(r) for r in reasons),
        ),
    )
    automail.send(session, settings, mlist, [sender], raw)


def _may_tell(
    session: Session, mlist: MailingList, sender: str, reasons: Sequence[HoldReason]
) -> bool:
    """Members hear of every held post; anyone can forge a stranger's address, so a
    non-member hears at most once a day."""
    if all(r.code is not ReasonCode.NONMEMBER for r in reasons):
        return True
    return allowed(session, f"held-note:{mlist.id}:{sender}", 1, NONMEMBER_NOTICE_EVERY)


def approve(
    session: Session,
    settings: Settings,
    held: HeldPost,
    by: str,
    dmarc: DmarcCache | None = None,
    accept_sender: bool = False,
) -> str:
    if held.state != "held":
        return f"already {held.state}"
    held.state, held.decided_at, held.decided_by = "approved", utcnow(), by
    if accept_sender and held.sender:
        session.add(AcceptedSender(list_id=held.list_id, email=held.sender.lower()))
    raw = held.inbound.raw
    result = accept(session, settings, held.mailing_list, raw, parse_message(raw), dmarc)
    _settle(session, held, f"approved by {by}: {result}")
    return str(result)


def reject(
    session: Session,
    settings: Settings,
    held: HeldPost,
    by: str,
    reason: str = "",
    replies: ReplyGate | None = None,
) -> str:
    """A moderator's (or the list policy's) refusal; the author is told, through `replies`,
    the gate of automatic replies, when a policy refuses a mail as it arrives."""
    if held.state != "held":
        return f"already {held.state}"
    held.state, held.decided_at, held.decided_by = "rejected", utcnow(), by
    mlist = held.mailing_list
    if held.sender and (replies is None or replies.may("error", mlist)):
        raw = automail.build(
            settings,
            to=held.sender,
            subject=lambda: _("Your message to %(name)s was not accepted", name=mlist.display_name),
            body=lambda: _(
                'A moderator of %(list)s did not accept your message "%(subject)s".%(reason)s',
                list=mlist.posting_address,
                subject=held.subject,
                reason=f"\n\n{reason}" if reason else "",
            ),
        )
        automail.send(session, settings, mlist, [held.sender], raw)
    _settle(session, held, f"rejected by {by}")
    return "rejected"


def discard(held: HeldPost, by: str) -> str:
    if held.state != "held":
        return f"already {held.state}"
    held.state, held.decided_at, held.decided_by = "discarded", utcnow(), by
    session = object_session(held)
    if session is not None:
        _settle(session, held, f"discarded by {by}")
    return "discarded"


def _settle(session: Session, held: HeldPost, note: str) -> None:
    """Record the decision on the inbound message; once no list holds it any more (a cross-post
    may be held in several), it no longer waits for anyone."""
    item = held.inbound
    item.outcome = f"{item.outcome}\n{note}".strip()
    waiting = session.scalar(
        select(HeldPost.id).where(
            HeldPost.inbound_id == item.id, HeldPost.state == "held", HeldPost.id != held.id
        )
    )
    if waiting is None and item.state == "held":
        item.state = "done"


WEB_ACTIONS = ("approve", "accept", "reject", "discard", "defer")


@dataclass(frozen=True, slots=True)
class Verdict:
    """A moderator's decision on the web: one of WEB_ACTIONS, by whom, and a reason to give."""

    action: str
    by: str
    reason: str = ""


def waiting(session: Session, mlist: MailingList) -> list[tuple[HeldPost, ParsedMessage]]:
    """The list's held posts, oldest first, each with its message read for a preview."""
    query = select(HeldPost).where(HeldPost.list_id == mlist.id, HeldPost.state == "held")
    held = session.scalars(query.order_by(HeldPost.id).options(joinedload(HeldPost.inbound)))
    return [(post, parse_message(post.inbound.raw)) for post in held]


def marked_among(session: Session, mlist: MailingList, ids: Sequence[int]) -> list[int]:
    """Which of the chosen held posts wait for a confidentiality mark (approved only once the
    moderator confirmed it)."""
    query = select(HeldPost).where(
        HeldPost.id.in_(list(ids)), HeldPost.list_id == mlist.id, HeldPost.state == "held"
    )
    return [held.id for held in session.scalars(query) if is_confidential(held.reasons)]


def decide_held(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    ids: Sequence[int],
    verdict: Verdict,
    dmarc: DmarcCache | None = None,
) -> int:
    """A moderator's decision on the web for the chosen posts of `mlist` (`accept` also lets
    their senders post from now on); returns how many were still waiting."""
    decided = 0
    for held in session.scalars(
        select(HeldPost).where(HeldPost.id.in_(list(ids)), HeldPost.list_id == mlist.id)
    ):
        decided += held.state == "held"
        action, by = verdict.action, verdict.by
        if action in ("approve", "accept"):
            approve(session, settings, held, by, dmarc, accept_sender=action == "accept")
        elif action == "reject":
            reject(session, settings, held, by, verdict.reason)
        elif action == "discard":
            discard(held, by)
    return decided
