"""Hold rules: pure functions from what we know about a post to the reasons to hold it.

Evaluated in order; each adds a reason. The caller decides what a reason leads to (hold, or
reject/discard for non-members when the list says so).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from archive.folding import fold
from forum.posting.confidentiality import find_mark

NONMEMBER = "the sender is not a member"


@dataclass(frozen=True, slots=True)
class Policy:
    posting: str = "members"  # open / members / announce
    moderate_first_posts: int = 0
    max_message_kb: int = 10240
    blocked_extensions: tuple[str, ...] = (
        ".exe",
        ".bat",
        ".cmd",
        ".com",
        ".scr",
        ".pif",
        ".vbs",
        ".js",
        ".jar",
        ".msi",
    )
    max_recipients: int = 10
    hold_confidential: bool = True
    require_explicit_destination: bool = True
    hold_administrivia: bool = True


@dataclass(frozen=True, slots=True)
class Post:
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


def hold_reasons(post: Post, policy: Policy) -> list[str]:
    reasons: list[str] = []
    if policy.posting == "announce" and not post.is_moderator:
        reasons.append("announce-only list: the sender may not post")
    elif policy.posting == "members" and not (post.is_member or post.is_moderator):
        reasons.append(NONMEMBER)
    if (
        post.is_member
        and not post.is_moderator
        and post.previous_posts < policy.moderate_first_posts
    ):
        reasons.append(
            f"new member: post {post.previous_posts + 1} of the first {policy.moderate_first_posts}"
        )
    if policy.max_message_kb and post.size > policy.max_message_kb * 1024:
        reasons.append(f"message larger than {policy.max_message_kb} KB")
    blocked = [
        n for n in post.attachment_names if n.lower().endswith(tuple(policy.blocked_extensions))
    ]
    if blocked:
        reasons.append("attachment type not allowed: " + ", ".join(blocked))
    mark = policy.hold_confidential and find_mark(post.subject, post.text, post.attachment_names)
    if mark:
        reasons.append(f"confidentiality mark: {mark.level}")
    if policy.max_recipients and len(post.to_and_cc) > policy.max_recipients:
        reasons.append(f"too many recipients ({len(post.to_and_cc)})")
    listed = {a.lower() for a in post.to_and_cc}
    if policy.require_explicit_destination and not set(post.list_addresses) & listed:
        reasons.append("implicit destination: the list is not in To or Cc")
    if policy.hold_administrivia and administrivia(post.subject, post.text):
        reasons.append("looks like a subscribe or unsubscribe request sent to the list")
    return reasons


_ADMIN_WORDS = re.compile(
    r"^\s*(subscribe|unsubscribe|dang ky|huy dang ky|roi nhom|remove me|xin roi nhom)\b"
)


def administrivia(subject: str, text: str) -> bool:
    """A short message whose subject or first line is a membership command."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    short = len(text) < 500
    return short and any(_ADMIN_WORDS.match(fold(part)) for part in (subject, first_line))
