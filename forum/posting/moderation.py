"""Held posts: holding, telling the sender and the moderators, and the moderators' decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from archive.db import utcnow
from archive.folding import fold
from archive.models import MailingList
from archive.parse import parse_message
from forum.lists.senders import MODERATOR_ROLES, is_moderator
from forum.mail import automail
from forum.mail.dmarc import DmarcCache
from forum.mail.routing import list_address
from forum.models import (
    AcceptedSender,
    HeldPost,
    InboundMessage,
    Member,
    ModerationToken,
)
from forum.posting.accepting import accept
from forum.posting.reasons import HoldReason, describe_stored, dumps
from forum.ratelimit import allowed
from forum.settings import Settings
from forum.tokens import new_token, token_hash

SUMMARY_EVERY = timedelta(hours=1)
TOKEN_LIFETIME = timedelta(days=14)


def hold(
    session: Session,
    settings: Settings,
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
    if sender and allowed(session, f"held-note:{mlist.id}:{sender}", 1, timedelta(days=1)):
        raw = automail.build(
            settings,
            to=sender,
            subject=lambda: _("Your message to %(name)s awaits approval", name=mlist.display_name),
            body=lambda: _(
                'Your message "%(subject)s" to %(list)s is waiting for a moderator. '
                "You will not be told again about further messages today.",
                subject=subject,
                list=mlist.posting_address,
            ),
        )
        automail.send(session, settings, mlist, [sender], raw)
    return held


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


def reject(session: Session, settings: Settings, held: HeldPost, by: str, reason: str = "") -> str:
    if held.state != "held":
        return f"already {held.state}"
    held.state, held.decided_at, held.decided_by = "rejected", utcnow(), by
    mlist = held.mailing_list
    if held.sender:
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


def send_summaries(session: Session, settings: Settings) -> int:
    """At most one notice per list per hour, listing the posts held since the last one."""
    sent = 0
    lists = session.scalars(
        select(MailingList).where(
            MailingList.id.in_(
                select(HeldPost.list_id).where(
                    HeldPost.state == "held", HeldPost.notified_at.is_(None)
                )
            )
        )
    )
    for mlist in lists:
        if not allowed(session, f"hold-summary:{mlist.id}", 1, SUMMARY_EVERY):
            continue
        _summary(session, settings, mlist)
        sent += 1
    return sent


def _summary(session: Session, settings: Settings, mlist: MailingList) -> None:
    held = session.scalars(
        select(HeldPost)
        .where(
            HeldPost.list_id == mlist.id, HeldPost.state == "held", HeldPost.notified_at.is_(None)
        )
        .order_by(HeldPost.id)
    ).all()
    moderators = list(
        session.scalars(
            select(Member).where(Member.list_id == mlist.id, Member.role.in_(MODERATOR_ROLES))
        )
    )
    now = utcnow()
    for post in held:
        post.notified_at = now
    if not moderators:
        return
    token = new_token()
    session.add(
        ModerationToken(
            list_id=mlist.id,
            token_hash=token_hash(token),
            held_ids=" ".join(str(p.id) for p in held),
            expires_at=now + TOKEN_LIFETIME,
        )
    )

    def lines() -> str:  # in each language of the notice
        return "\n".join(
            f"- {p.subject or _('(no subject)')} ({p.sender}): {'; '.join(reasons)}"
            for p in held
            if (reasons := describe_stored(p.reasons)) is not None
        )

    queue = f"{settings.base_url}/moderation/{mlist.name}/"
    emails = [m.address.email for m in moderators]
    raw = automail.build(
        settings,
        to=", ".join(emails),
        subject=lambda: _(
            "%(n)d message(s) held for %(name)s", n=len(held), name=mlist.display_name
        ),
        body=lambda: _(
            "These messages are waiting for approval:\n%(lines)s\n\n"
            "Reply to this message with one word on the first line to decide for all of them: "
            "approve (duyệt), reject REASON (từ chối LÝ DO) or discard (bỏ).\n"
            "Or decide one by one on the web: %(queue)s",
            lines=lines(),
            queue=queue,
        ),
        reply_to=list_address(mlist.name, mlist.domain, "confirm", f"mod-{token}"),
        answering=False,
    )
    automail.send(session, settings, mlist, emails, raw)


_DECISIONS = {
    "approve": "approve",
    "duyet": "approve",
    "dong y": "approve",
    "reject": "reject",
    "tu choi": "reject",
    "discard": "discard",
    "bo": "discard",
    "huy": "discard",
}


def decision_of(first_line: str) -> tuple[str, str] | None:
    """(decision, reason) from the first line of a moderator's reply."""
    words = fold(first_line).strip()
    for word in sorted(_DECISIONS, key=len, reverse=True):
        if words == word or words.startswith(word + " "):
            return _DECISIONS[word], first_line.strip()[len(word) :].strip(" :-")
    return None


def moderate_by_reply(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    token: str,
    sender: str,
    text: str,
    dmarc: DmarcCache | None = None,
) -> str:
    """A moderator's reply to a summary: its first line decides every post it listed."""
    found = session.scalar(
        select(ModerationToken).where(ModerationToken.token_hash == token_hash(token))
    )
    if found is None or found.list_id != mlist.id:
        return "unknown moderation token"
    if not is_moderator(session, mlist, sender):
        return "refused: the sender is not a moderator"
    if found.used_at is not None or found.expires_at < utcnow():
        return "refused: the moderation token was used or has expired"
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    decision = decision_of(first_line)
    if decision is None:
        return "no decision on the first line"
    found.used_at = utcnow()
    results = []
    for held_id in found.held_ids.split():
        held = session.get(HeldPost, int(held_id))
        if held is None:
            continue
        if decision[0] == "approve":
            results.append(approve(session, settings, held, sender, dmarc))
        elif decision[0] == "reject":
            results.append(reject(session, settings, held, sender, decision[1]))
        else:
            results.append(discard(held, sender))
    return f"{decision[0]}: " + "; ".join(results)


WEB_ACTIONS = ("approve", "accept", "reject", "discard", "defer")


@dataclass(frozen=True, slots=True)
class Verdict:
    """A moderator's decision on the web: one of WEB_ACTIONS, by whom, and a reason to give."""

    action: str
    by: str
    reason: str = ""


def waiting(session: Session, mlist: MailingList) -> list[HeldPost]:
    """The list's held posts, oldest first."""
    query = select(HeldPost).where(HeldPost.list_id == mlist.id, HeldPost.state == "held")
    return list(session.scalars(query.order_by(HeldPost.id)))


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
