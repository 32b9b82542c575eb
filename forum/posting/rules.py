"""The hold rules: one question each, a pure function from what we know of a post and the list's
settings to a reason to hold it, or None. `decide` turns the reasons into an action."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from archive.folding import fold
from forum.policy import Policy
from forum.posting.confidentiality import find_mark
from forum.posting.reasons import HoldReason, ReasonCode, reason


@dataclass(frozen=True, slots=True)
class PostFacts:
    sender: str
    is_member: bool
    is_moderator: bool  # moderators, owners and accepted senders
    previous_posts: int
    size: int
    subject: str
    text: str
    attachment_names: Sequence[str] = ()
    to_and_cc: Sequence[str] = ()
    list_addresses: Sequence[str] = field(default_factory=tuple)  # the list's own, lowercased
    automatic: bool = False


Rule = Callable[[PostFacts, Policy], HoldReason | None]


def automatic_reply(post: PostFacts, policy: Policy) -> HoldReason | None:
    """An out-of-office answer to list mail should not reach every member."""
    return reason(ReasonCode.AUTOMATIC) if post.automatic else None


def posting_policy(post: PostFacts, policy: Policy) -> HoldReason | None:
    if policy.posting == "announce" and not post.is_moderator:
        return reason(ReasonCode.ANNOUNCE_ONLY)
    if policy.posting == "members" and not (post.is_member or post.is_moderator):
        return reason(ReasonCode.NONMEMBER)
    return None


def new_member(post: PostFacts, policy: Policy) -> HoldReason | None:
    if (
        post.is_member
        and not post.is_moderator
        and post.previous_posts < policy.moderate_first_posts
    ):
        return reason(
            ReasonCode.NEW_MEMBER, n=post.previous_posts + 1, of=policy.moderate_first_posts
        )
    return None


def too_large(post: PostFacts, policy: Policy) -> HoldReason | None:
    if policy.max_message_kb and post.size > policy.max_message_kb * 1024:
        return reason(ReasonCode.TOO_LARGE, kb=policy.max_message_kb)
    return None


def blocked_attachment(post: PostFacts, policy: Policy) -> HoldReason | None:
    blocked = [n for n in post.attachment_names if n.lower().endswith(policy.blocked)]
    return reason(ReasonCode.BLOCKED_ATTACHMENT, names=", ".join(blocked)) if blocked else None


def confidentiality(post: PostFacts, policy: Policy) -> HoldReason | None:
    """State-secret marks (MẬT, TỐI MẬT, TUYỆT MẬT) must never go out to a whole group."""
    if not policy.hold_confidential:
        return None
    mark = find_mark(post.subject, post.text, post.attachment_names)
    if mark is None:
        return None
    return reason(
        ReasonCode.CONFIDENTIAL,
        mark=mark.level,
        place=mark.place,
        line=mark.line or "",
        source=mark.source[:300],
        start=mark.start,
        end=mark.end,
    )


def too_many_recipients(post: PostFacts, policy: Policy) -> HoldReason | None:
    if policy.max_recipients and len(post.to_and_cc) > policy.max_recipients:
        return reason(ReasonCode.TOO_MANY_RECIPIENTS, n=len(post.to_and_cc))
    return None


def implicit_destination(post: PostFacts, policy: Policy) -> HoldReason | None:
    """Mail that reached the list by Bcc or an alias is often not meant for all of it."""
    listed = {a.lower() for a in post.to_and_cc}
    if policy.require_explicit_destination and not set(post.list_addresses) & listed:
        return reason(ReasonCode.IMPLICIT_DESTINATION)
    return None


def administrivia(post: PostFacts, policy: Policy) -> HoldReason | None:
    """ "unsubscribe" sent to the whole group instead of the request address."""
    if policy.hold_administrivia and looks_like_a_command(post.subject, post.text):
        return reason(ReasonCode.ADMINISTRIVIA)
    return None


RULES: Sequence[Rule] = (
    automatic_reply,
    posting_policy,
    new_member,
    too_large,
    blocked_attachment,
    confidentiality,
    too_many_recipients,
    implicit_destination,
    administrivia,
)


class Action(StrEnum):
    ACCEPT = "accept"
    HOLD = "hold"
    REJECT = "reject"
    DISCARD = "discard"


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    reasons: tuple[HoldReason, ...] = ()


def decide(post: PostFacts, policy: Policy, rules: Sequence[Rule] = RULES) -> Decision:
    """Every rule is asked; a post from a non-member that is held for nothing else is rejected
    or discarded when the list says so, any other reason holds it."""
    reasons = tuple(found for rule in rules if (found := rule(post, policy)) is not None)
    if not reasons:
        return Decision(Action.ACCEPT)
    only_nonmember = [r.code for r in reasons] == [ReasonCode.NONMEMBER]
    if only_nonmember and policy.nonmember_action == "discard":
        return Decision(Action.DISCARD, reasons)
    if only_nonmember and policy.nonmember_action == "reject" and post.sender:
        return Decision(Action.REJECT, reasons)
    return Decision(Action.HOLD, reasons)


_ADMIN_WORDS = re.compile(
    r"^\s*(subscribe|unsubscribe|dang ky|huy dang ky|roi nhom|remove me|xin roi nhom)\b"
)


def looks_like_a_command(subject: str, text: str) -> bool:
    """A short message whose subject or first line is a membership command."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    short = len(text) < 500
    return short and any(_ADMIN_WORDS.match(fold(part)) for part in (subject, first_line))
