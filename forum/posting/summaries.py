"""Moderators' summaries by mail, at most one an hour per list, and their decisions by reply.

A one-word reply (`duyệt`, `từ chối LÝ DO`, `bỏ`) decides every post the summary lists except
those held for a confidentiality mark: each of those needs a decision of its own (`duyệt 1`,
by its number in the summary, or the web queue), so one word never releases a MẬT document to
a whole group. The moderator is told what was decided and what still waits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.folding import fold
from archive.models import MailingList
from forum.lists.senders import MODERATOR_ROLES, is_moderator
from forum.mail import automail
from forum.mail.dmarc import DmarcCache
from forum.mail.routing import list_address
from forum.models import HeldPost, Member, ModerationToken
from forum.posting.moderation import approve, discard, reject
from forum.posting.reasons import (
    ReasonCode,
    describe,
    is_confidential,
    loads,
    marked_source,
)
from forum.ratelimit import allowed
from forum.settings import Settings
from forum.tokens import new_token, token_hash

SUMMARY_EVERY = timedelta(hours=1)
TOKEN_LIFETIME = timedelta(days=14)


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
    query = select(HeldPost).where(
        HeldPost.list_id == mlist.id, HeldPost.state == "held", HeldPost.notified_at.is_(None)
    )
    held = sorted(session.scalars(query), key=lambda p: (not is_confidential(p.reasons), p.id))
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
            held_ids=" ".join(str(p.id) for p in held),  # their order gives their numbers
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    queue = f"{settings.base_url}/moderation/{mlist.name}/"
    marked = sum(is_confidential(p.reasons) for p in held)
    emails = [m.address.email for m in moderators]
    raw = automail.build(
        settings,
        to=", ".join(emails),
        subject=lambda: _(
            "%(n)d message(s) held for %(name)s", n=len(held), name=mlist.display_name
        ),
        body=lambda: _summary_text(held, marked, queue),
        reply_to=list_address(mlist.name, mlist.domain, "confirm", f"mod-{token}"),
        answering=False,
    )
    automail.send(session, settings, mlist, emails, raw)


def _summary_text(held: Sequence[HeldPost], marked: int, queue: str) -> str:
    """In the current language (the notice has a Vietnamese and an English part)."""
    lines = [_post_line(number, post) for number, post in enumerate(held, 1)]
    text = _("These messages are waiting for approval:\n%(lines)s", lines="\n".join(lines))
    text += "\n\n" + _(
        "Reply to this message with one word on the first line to decide for all of them: "
        "approve (duyệt), reject REASON (từ chối LÝ DO) or discard (bỏ)."
    )
    if marked:
        text += " " + _(
            "Posts held for a confidentiality mark (marked MẬT above) are never decided in "
            'bulk: reply with their number, e.g. "duyệt 1", or decide on the web.'
        )
    return f"{text}\n{_('Or decide one by one on the web: %(queue)s', queue=queue)}"


def _post_line(number: int, post: HeldPost) -> str:
    reasons = loads(post.reasons)
    head = f"{number}. {post.subject or _('(no subject)')} ({post.sender}): "
    head += "; ".join(describe(r) for r in reasons)
    marks = [r for r in reasons if r.code is ReasonCode.CONFIDENTIAL]
    if not marks:
        return head
    shown = marked_source(marks[0])
    label = _("[MẬT: needs its own decision]")
    return f"{label} {head}" + (f"\n      {shown}" if shown else "")


_WORDS = {
    "approve": "approve",
    "duyet": "approve",
    "dong y": "approve",
    "reject": "reject",
    "tu choi": "reject",
    "discard": "discard",
    "bo": "discard",
    "huy": "discard",
}
_NUMBERS = re.compile(r"^\s*((?:\d+\s*(?:[,;]|và|and)?\s*)+)(?=\s|$)")


@dataclass(frozen=True, slots=True)
class ReplyDecision:
    action: str  # approve / reject / discard
    numbers: tuple[int, ...] = ()  # the posts' numbers in the summary; () = all it may decide
    reason: str = ""


def decision_of(first_line: str) -> ReplyDecision | None:
    """The decision on the first line of a moderator's reply: a word, then numbers or a reason."""
    words = fold(first_line).strip()
    for word in sorted(_WORDS, key=len, reverse=True):
        if words == word or words.startswith(word + " "):
            rest = first_line.strip()[len(word) :].strip(" :-")
            found = _NUMBERS.match(rest)
            numbers = tuple(int(n) for n in re.findall(r"\d+", found.group(1))) if found else ()
            reason = rest[found.end() :].strip(" :-") if found else rest
            return ReplyDecision(_WORDS[word], numbers, reason)
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
    """A moderator's reply to a summary decides the posts it lists, as decision_of reads it."""
    found = session.scalar(
        select(ModerationToken).where(ModerationToken.token_hash == token_hash(token))
    )
    if found is None or found.list_id != mlist.id:
        return "unknown moderation token"
    if not is_moderator(session, mlist, sender):
        return "refused: the sender is not a moderator"
    if found.expires_at < utcnow():
        return "refused: the moderation token has expired"
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    decision = decision_of(first_line)
    if decision is None:
        return "no decision on the first line"
    found.used_at = found.used_at or utcnow()
    listed = {n: session.get(HeldPost, int(i)) for n, i in enumerate(found.held_ids.split(), 1)}
    chosen = decision.numbers or [
        n for n, p in listed.items() if p and not is_confidential(p.reasons)
    ]
    decided = []
    for number in chosen:
        post = listed.get(number)
        if post is not None and post.state == "held":
            _decide(session, settings, post, sender, decision, dmarc)
            decided.append((number, post))
    waiting = [(n, p) for n, p in listed.items() if p is not None and p.state == "held"]
    _answer(session, settings, mlist, sender, decision.action, decided, waiting)
    return f"{decision.action}: {len(decided)} decided, {len(waiting)} still waiting"


def _decide(
    session: Session,
    settings: Settings,
    post: HeldPost,
    by: str,
    decision: ReplyDecision,
    dmarc: DmarcCache | None,
) -> None:
    if decision.action == "approve":
        approve(session, settings, post, by, dmarc)
    elif decision.action == "reject":
        reject(session, settings, post, by, decision.reason)
    else:
        discard(post, by)


def _answer(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    moderator: str,
    action: str,
    decided: Sequence[tuple[int, HeldPost]],
    waiting: Sequence[tuple[int, HeldPost]],
) -> None:
    """Tell the moderator what the reply did and what still waits for them."""

    def listed(posts: Sequence[tuple[int, HeldPost]]) -> str:
        return "\n".join(f"  {n}. {p.subject or _('(no subject)')} ({p.sender})" for n, p in posts)

    def body() -> str:
        done = {
            "approve": _("Approved and sent to the group: %(n)d message(s).", n=len(decided)),
            "reject": _("Rejected: %(n)d message(s); the senders were told.", n=len(decided)),
            "discard": _("Discarded: %(n)d message(s).", n=len(decided)),
        }[action]
        text = done + ("\n" + listed(decided) if decided else "")
        if waiting:
            text += "\n\n" + _(
                "Still waiting for a decision of its own (reply with its number, e.g. "
                '"duyệt %(n)d", or use the web queue): %(count)d message(s).',
                n=waiting[0][0],
                count=len(waiting),
            )
            text += "\n" + listed(waiting)
        return str(text)

    raw = automail.build(
        settings,
        to=moderator,
        subject=lambda: _("Moderation of %(name)s", name=mlist.display_name),
        body=body,
    )
    automail.send(session, settings, mlist, [moderator], raw)
