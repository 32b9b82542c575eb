"""The inbound pipeline: each queued message, for each of its recipients, through small steps.

route -> (loop? automatic?) -> rules -> archive -> decorate -> enqueue delivery, all in one
transaction per message: it either happens whole or the message stays queued with its error
(state `failed`, visible with `forum inbound`), to be retried. Nothing is lost either way.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import getaddresses

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.display import split_blocks
from archive.headers import parse_from
from archive.models import MailingList
from archive.parse import parse_message
from archive.parsed import ParsedMessage
from forum.drafting.service import comments_from_reply
from forum.lists.bouncing import record_bounce
from forum.lists.lists import find_list
from forum.lists.senders import is_accepted
from forum.lists.subscriptions import confirm, find_token, start
from forum.mail.bounces import header_map, is_auto_generated
from forum.mail.dmarc import CachedPolicies
from forum.mail.inbound import address_book
from forum.mail.routing import Route, route
from forum.models import InboundMessage
from forum.notices.notices import acknowledge, is_focal_point_of, notice_replied_to
from forum.notices.tags import is_acknowledgement_only
from forum.posting.fanout import accept_post, forward_to_owners, policy_of
from forum.posting.loops import is_loop, sender_is_member
from forum.posting.moderation import (
    hold,
    moderate_by_reply,
    previous_posts,
    reject,
    rules_policy,
)
from forum.posting.requests import Request, run_request
from forum.posting.rules import NONMEMBER, Post, hold_reasons
from forum.settings import Settings

HELD = "held"


@dataclass(frozen=True, slots=True)
class Context:
    """What every step may look at: the message, its envelope and the site."""

    session: Session
    settings: Settings
    item: InboundMessage
    headers: dict[str, str]
    policies: CachedPolicies | None

    @property
    def automatic(self) -> bool:
        """RFC 3834: never answer mail a machine sent (auto-replies, bounces, lists)."""
        return self.item.mail_from in ("", "<>") or is_auto_generated(self.headers)


Step = Callable[[Context, Route, MailingList], str]


def _post(ctx: Context, target: Route, mlist: MailingList) -> str:
    if is_loop(ctx.headers, mlist):
        return "discarded: our own list mail came back (loop)"
    author = _sender(ctx)[1]
    parsed = parse_message(ctx.item.raw)
    if _acknowledges_only(ctx, author, parsed):
        return "acknowledged a notice (an acknowledgement alone is not posted)"
    policy = policy_of(ctx.session, mlist)
    facts = Post(
        sender=author,
        is_member=sender_is_member(ctx.session, mlist, author),
        is_moderator=bool(author) and is_accepted(ctx.session, mlist, author),
        previous_posts=previous_posts(ctx.session, mlist, author),
        size=len(ctx.item.raw),
        subject=parsed.subject,
        text=parsed.text,
        attachment_names=[a.filename for a in parsed.attachments],
        to_and_cc=[
            a for _, a in getaddresses([ctx.headers.get("to", ""), ctx.headers.get("cc", "")]) if a
        ],
        list_addresses=(mlist.posting_address.lower(),),
    )
    reasons = hold_reasons(facts, rules_policy(policy))
    if ctx.automatic:
        reasons.insert(0, "an automatic reply sent to the list")
    if reasons == [NONMEMBER] and policy.nonmember_action == "discard":
        return "discarded: the sender is not a member"
    if reasons == [NONMEMBER] and policy.nonmember_action == "reject" and author:
        held = hold(ctx.session, ctx.settings, mlist, ctx.item, author, parsed.subject, reasons)
        return "rejected: " + reject(ctx.session, ctx.settings, held, "list policy", NONMEMBER)
    if reasons:
        hold(ctx.session, ctx.settings, mlist, ctx.item, author, parsed.subject, reasons)
        return f"{HELD}: " + "; ".join(reasons)
    outcome = accept_post(ctx.session, ctx.settings, mlist, ctx.item.raw, ctx.policies)
    return outcome + comments_from_reply(ctx.session, parsed)


def _acknowledges_only(ctx: Context, author: str, parsed: ParsedMessage) -> bool:
    """A focal point's reply to a notice acknowledges it; "đã nhận" alone stops here."""
    replied = [i for i in (parsed.in_reply_to, *parsed.references) if i]
    notice = notice_replied_to(ctx.session, replied)
    if notice is None or not author or not is_focal_point_of(ctx.session, notice, author):
        return False
    acknowledge(ctx.session, notice, author, "reply")
    own_words = "\n".join(b.text for b in split_blocks(parsed.text) if b.kind == "text")
    return is_acknowledgement_only(own_words)


def _bounces(ctx: Context, target: Route, mlist: MailingList) -> str:
    return record_bounce(ctx.session, ctx.settings, mlist, target.tag, ctx.item.raw)


def _owner(ctx: Context, target: Route, mlist: MailingList) -> str:
    if is_loop(ctx.headers, mlist):
        return "discarded: loop"
    return forward_to_owners(ctx.session, ctx.settings, mlist, ctx.item.raw)


def _sender(ctx: Context) -> tuple[str, str]:
    name, email = parse_from(ctx.headers.get("from"), None)
    return name, email


def _message_id(ctx: Context) -> str | None:
    value = ctx.headers.get("message-id", "").strip()
    return value or None


def _join_or_leave(ctx: Context, target: Route, mlist: MailingList) -> str:
    if ctx.automatic:
        return "ignored: automatic mail is never answered"
    name, email = _sender(ctx)
    if not email:
        return "ignored: no sender address"
    return start(ctx.session, ctx.settings, mlist, email, name, target.action, _message_id(ctx))


def _confirm(ctx: Context, target: Route, mlist: MailingList) -> str:
    if ctx.automatic:
        return "ignored: automatic mail is never answered"
    sender = _sender(ctx)[1]
    if target.tag.lower().startswith("mod-"):
        text = parse_message(ctx.item.raw).text
        return moderate_by_reply(
            ctx.session, ctx.settings, mlist, target.tag[4:], sender, text, ctx.policies
        )
    return f"confirm: {confirm(ctx.session, ctx.settings, target.tag, sender)}"


def _request(ctx: Context, target: Route, mlist: MailingList) -> str:
    if ctx.automatic:
        return "ignored: automatic mail is never answered"
    name, email = _sender(ctx)
    if not email:
        return "ignored: no sender address"
    parsed = parse_message(ctx.item.raw)
    mail = Request(email, name, parsed.subject, parsed.text, _message_id(ctx))
    return run_request(ctx.session, ctx.settings, mlist, mail)


def _noreply(ctx: Context) -> str:
    """Replies to a confirmation that went to the no-reply address still confirm."""
    if ctx.automatic:
        return "ignored: automatic mail"
    parsed = parse_message(ctx.item.raw)
    token = find_token(parsed.subject, parsed.text)
    if token is None:
        return "ignored: no-reply mail without a confirmation"
    return f"confirm: {confirm(ctx.session, ctx.settings, token, _sender(ctx)[1])}"


STEPS: dict[str, Step] = {
    "post": _post,
    "bounces": _bounces,
    "owner": _owner,
    "join": _join_or_leave,
    "leave": _join_or_leave,
    "request": _request,
    "confirm": _confirm,
}


def process(
    session: Session, settings: Settings, item: InboundMessage, policies: CachedPolicies | None
) -> str:
    """Run one message through the steps for each recipient; returns the new state."""
    book = address_book(session, settings)
    ctx = Context(session, settings, item, header_map(item.raw), policies)
    outcomes: list[str] = []
    for recipient in item.recipient_list:
        target = route(recipient, book)
        mlist = find_list(session, target.list_name) if target and target.list_name else None
        if target is None:
            outcome = "refused: unknown address"
        elif target.action == "noreply":
            outcome = _noreply(ctx)
        elif mlist is None:
            outcome = "ignored: the list is gone"
        else:
            outcome = STEPS[target.action](ctx, target, mlist)
        outcomes.append(f"{recipient}: {outcome}")
    state = HELD if any(f": {HELD}:" in line for line in outcomes) else "done"
    item.state, item.outcome, item.error = state, "\n".join(outcomes), ""
    item.processed_at = utcnow()
    item.attempts += 1
    return state


def run_pipeline(
    session: Session,
    settings: Settings,
    policies: CachedPolicies | None = None,
    limit: int = 50,
) -> int:
    """Process up to `limit` queued messages, oldest first; returns how many were taken."""
    ids = list(
        session.scalars(
            select(InboundMessage.id)
            .where(InboundMessage.state == "queued")
            .order_by(InboundMessage.id)
            .limit(limit)
        )
    )
    session.rollback()
    for item_id in ids:
        try:
            item = session.get(InboundMessage, item_id)
            if item is None or item.state != "queued":
                continue
            process(session, settings, item, policies)
            session.commit()
        except Exception as error:  # a step failing must never lose the message
            session.rollback()
            session.execute(
                update(InboundMessage)
                .where(InboundMessage.id == item_id)
                .values(
                    state="failed",
                    error=_error_text(error),
                    attempts=InboundMessage.attempts + 1,
                )
            )
            session.commit()
    return len(ids)


def _error_text(error: Exception) -> str:
    """What went wrong in one line (shown to admins), then the end of the traceback."""
    summary = (str(error).strip().splitlines() or [""])[0][:300]
    return f"{type(error).__name__}: {summary}\n\n{traceback.format_exc()[-3500:]}"


def retry_failed(session: Session, item_id: int | None = None) -> int:
    """Put failed messages (one, or all) back in the queue."""
    query = update(InboundMessage).where(InboundMessage.state == "failed")
    if item_id is not None:
        query = query.where(InboundMessage.id == item_id)
    count = session.execute(query.values(state="queued")).rowcount  # type: ignore[attr-defined]
    session.commit()
    return int(count or 0)
