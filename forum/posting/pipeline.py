"""The post path, top to bottom: each claimed message, for each address it was sent to, is
routed, and a post goes loop check -> features' intercepts -> hold rules -> archive ->
features' after-store steps -> fan-out.

A message is processed in one transaction: its outcome and every effect (archive rows, outbox
copies, held posts, notices) commit together, or none does and the message is set aside as
`failed` with its error (`forum inbound`), to be retried. Nothing is lost either way.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import getaddresses
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import MailingList, Message
from forum.hooks import Arrived
from forum.lists.bouncing import record_bounce
from forum.lists.lists import find_list, policy_of
from forum.lists.members import find_member
from forum.lists.replies import ReplyGate
from forum.lists.senders import is_accepted
from forum.lists.subscriptions import confirm, find_token, start
from forum.mail.arrival import Arrival
from forum.mail.dmarc import DmarcCache
from forum.mail.inbound import (
    Submitted,
    address_book,
    claim_inbound,
    fail,
    release,
    settle,
    take,
)
from forum.mail.routing import AddressBook, Route, route
from forum.models import InboundMessage, InboundState
from forum.posting.accepting import accept
from forum.posting.fanout import forward_to_owners
from forum.posting.loops import is_loop
from forum.posting.moderation import hold, reject, tell_held
from forum.posting.outcomes import Outcome, Result
from forum.posting.reasons import for_the_log
from forum.posting.requests import Request, run_request
from forum.posting.rules import Action, Decision, PostFacts, decide
from forum.posting.steps import INTERCEPTS
from forum.posting.summaries import moderate_by_reply
from forum.settings import Settings
from forum.turns import NO_TURNS, WriteTurns

log = logging.getLogger(__name__)
BATCH = 50


def run_pipeline(
    session: Session,
    settings: Settings,
    dmarc: DmarcCache | None = None,
    limit: int = BATCH,
    stop: threading.Event | None = None,
    turns: WriteTurns = NO_TURNS,
) -> int:
    """Claim up to `limit` queued messages, oldest first, and process each (until `stop`:
    the rest of the claim goes back to the queue at once), each in its turn at the database's
    write lock; returns how many were claimed."""
    claim, ids = claim_inbound(session, limit, settings.inbound_lease)
    for item_id in ids:
        if stop is not None and stop.is_set():
            release(session, claim)
            break
        with turns.hold("inbound"):
            process_claimed(session, settings, item_id, claim, dmarc)
    return len(ids)


def process_claimed(
    session: Session, settings: Settings, item_id: int, claim: str, dmarc: DmarcCache | None
) -> InboundState | None:
    """One claimed message, whole or not at all; None if the claim was lost meanwhile."""
    try:
        item = take(session, item_id, claim, settings.inbound_lease)
        if item is None:
            return None
        state = process(session, settings, item, dmarc)
        outcome = item.outcome
        session.commit()
    except Exception as error:  # the one place a message's failure is caught: it is kept
        session.rollback()
        fail(session, item_id, _error_text(error))
        log.exception("inbound %d failed", item_id)
        return InboundState.FAILED
    log.info("inbound %d %s: %s", item_id, state, outcome.replace("\n", " | "))
    return state


def process_submitted(
    session: Session, settings: Settings, submitted: Submitted, dmarc: DmarcCache | None
) -> InboundState | None:
    """A message its caller queued claimed (a web post), processed in the caller's request."""
    return process_claimed(session, settings, submitted.item_id, submitted.claim, dmarc)


def process(
    session: Session, settings: Settings, item: InboundMessage, dmarc: DmarcCache | None
) -> InboundState:
    """Run one message through the path for each of its recipients; returns its new state."""
    arrival = Arrival(item)
    gate = ReplyGate(
        session,
        settings,
        arrival.sender[1],
        by_mail=True,
        in_reply_to=arrival.message_id,
        answerable=arrival.answerable,
    )
    context = Context(session, settings, arrival, dmarc, gate)
    book = address_book(session, settings)
    results = [(address, _for_address(context, address, book)) for address in item.recipient_list]
    held = any(result.outcome is Outcome.HELD for _, result in results)
    state = InboundState.HELD if held else InboundState.DONE
    settle(item, state, "\n".join(f"{address}: {result}" for address, result in results))
    return state


@dataclass(frozen=True, slots=True)
class Context:
    """What every step may look at: the message, the site, the DMARC cache, and the gate of
    automatic replies to the sender (one answer per request mail, within the limits)."""

    session: Session
    settings: Settings
    arrival: Arrival
    dmarc: DmarcCache | None
    replies: ReplyGate


def _for_address(context: Context, address: str, book: AddressBook) -> Result:
    target = route(address, book)
    if target is None:
        return Result(Outcome.REFUSED, "unknown address")
    if target.action == "noreply":
        return _noreply(context)
    mlist = find_list(context.session, target.list_name or "")
    if mlist is None:
        return Result(Outcome.IGNORED, "the list is gone")
    return HANDLERS[target.action](context, target, mlist)


def post(context: Context, target: Route, mlist: MailingList) -> Result:
    """A post to `LIST@`."""
    session, arrival = context.session, context.arrival
    if is_loop(arrival.headers, mlist):
        return Result(Outcome.DISCARDED, "our own list mail came back (loop)")
    arrived = Arrived(session, context.settings, mlist, arrival.parsed, arrival.sender[1])
    for intercept in INTERCEPTS:
        note = intercept(arrived)
        if note:
            return Result(Outcome.TAKEN, note)
    if not arrival.item.approved_by:  # a draft's announcement, approved as it was published
        decision = decide(facts_of(context, mlist), policy_of(session, mlist))
        if decision.action is not Action.ACCEPT:
            return _moderated(context, mlist, decision)
    return accept(session, context.settings, mlist, arrival.raw, arrival.parsed, context.dmarc)


def facts_of(context: Context, mlist: MailingList) -> PostFacts:
    """What the hold rules ask about, from the message and the list's members."""
    session, arrival = context.session, context.arrival
    author, parsed = arrival.sender[1], arrival.parsed
    recipients = [arrival.headers.get("to", ""), arrival.headers.get("cc", "")]
    return PostFacts(
        sender=author,
        is_member=bool(author) and find_member(session, mlist, author) is not None,
        is_moderator=bool(author) and is_accepted(session, mlist, author),
        previous_posts=_posts_by(session, mlist, author),
        size=len(arrival.raw),
        subject=parsed.subject,
        text=parsed.text,
        attachment_names=[a.filename for a in parsed.attachments],
        to_and_cc=[a for _, a in getaddresses(recipients) if a],
        list_addresses=(mlist.posting_address.lower(),),
        automatic=arrival.automatic,
    )


def _posts_by(session: Session, mlist: MailingList, email: str) -> int:
    if not email:
        return 0
    count = session.scalar(
        select(func.count(Message.id)).where(
            Message.list_id == mlist.id, Message.sender_email == email.lower()
        )
    )
    return int(count or 0)


def _moderated(context: Context, mlist: MailingList, decision: Decision) -> Result:
    if decision.action is Action.DISCARD:
        return Result(Outcome.DISCARDED, for_the_log(decision.reasons))
    session, settings, arrival = context.session, context.settings, context.arrival
    author, subject = arrival.sender[1], arrival.parsed.subject
    held = hold(session, mlist, arrival.item, author, subject, decision.reasons)
    if decision.action is Action.REJECT:
        why = for_the_log(decision.reasons)
        note = reject(session, settings, held, "list policy", why, context.replies)
        return Result(Outcome.REJECTED, note)
    tell_held(session, settings, held, decision.reasons, context.replies)
    return Result(Outcome.HELD, for_the_log(decision.reasons))


def bounces(context: Context, target: Route, mlist: MailingList) -> Result:
    note = record_bounce(context.session, context.settings, mlist, target.tag, context.arrival.raw)
    return Result(Outcome.BOUNCE, note)


def owner(context: Context, target: Route, mlist: MailingList) -> Result:
    if is_loop(context.arrival.headers, mlist):
        return Result(Outcome.DISCARDED, "loop")
    forwarded = forward_to_owners(context.session, mlist, context.arrival.raw)
    if not forwarded:
        return Result(Outcome.IGNORED, "kept: the list has no owner to forward to")
    return Result(Outcome.FORWARDED, f"to {forwarded} owners")


def join_or_leave(context: Context, target: Route, mlist: MailingList) -> Result:
    arrival = context.arrival
    if not arrival.answerable:
        return Result(Outcome.IGNORED, "automatic mail is never answered")
    name, email = arrival.sender
    if not email:
        return Result(Outcome.IGNORED, "no sender address")
    action: Literal["join", "leave"] = "join" if target.action == "join" else "leave"
    session, settings = context.session, context.settings
    note = start(session, settings, mlist, email, name, action, context.replies)
    return Result(Outcome.ANSWERED, note)


def confirmation(context: Context, target: Route, mlist: MailingList) -> Result:
    """`LIST-confirm+TOKEN@`: a member confirming, or a moderator answering a summary."""
    arrival = context.arrival
    if not arrival.answerable:
        return Result(Outcome.IGNORED, "automatic mail is never answered")
    sender = arrival.sender[1]
    if target.tag.lower().startswith("mod-"):
        note = moderate_by_reply(
            context.session,
            context.settings,
            mlist,
            target.tag[4:],
            sender,
            arrival.parsed.text,
            context.dmarc,
        )
        return Result(Outcome.ANSWERED, note)
    note = confirm(context.session, context.settings, target.tag, sender, gate=context.replies)
    return Result(Outcome.ANSWERED, f"confirm: {note}")


def request(context: Context, target: Route, mlist: MailingList) -> Result:
    """`LIST-request@`: commands in the subject or the first lines."""
    arrival = context.arrival
    if not arrival.answerable:
        return Result(Outcome.IGNORED, "automatic mail is never answered")
    name, email = arrival.sender
    if not email:
        return Result(Outcome.IGNORED, "no sender address")
    parsed = arrival.parsed
    mail = Request(email, name, parsed.subject, parsed.text, arrival.message_id)
    note = run_request(context.session, context.settings, mlist, mail, context.replies)
    return Result(Outcome.ANSWERED, note)


def _noreply(context: Context) -> Result:
    """Replies to a confirmation that went to the no-reply address still confirm."""
    arrival = context.arrival
    if not arrival.answerable:
        return Result(Outcome.IGNORED, "automatic mail")
    token = find_token(arrival.parsed.subject, arrival.parsed.text)
    if token is None:
        return Result(Outcome.IGNORED, "no-reply mail without a confirmation")
    sender = arrival.sender[1]
    note = confirm(context.session, context.settings, token, sender, gate=context.replies)
    return Result(Outcome.ANSWERED, f"confirm: {note}")


Handler = Callable[[Context, Route, MailingList], Result]
HANDLERS: dict[str, Handler] = {
    "post": post,
    "bounces": bounces,
    "owner": owner,
    "join": join_or_leave,
    "leave": join_or_leave,
    "request": request,
    "confirm": confirmation,
}


def _error_text(error: Exception) -> str:
    """What went wrong in one line (shown to admins), then the end of the traceback."""
    summary = (str(error).strip().splitlines() or [""])[0][:300]
    return f"{type(error).__name__}: {summary}\n\n{traceback.format_exc()[-3500:]}"
