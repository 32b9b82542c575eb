"""How topics plug into the post path: a reply that says only "tắt" or "mute" mutes the thread
for its sender and is not posted."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select

from archive.models import Message
from archive.own_text import own_text
from forum.hooks import Arrived
from forum.lists.members import find_member
from forum.topics.choices import choose
from forum.topics.models import MUTE

MUTE_WORDS = frozenset(
    {"tắt", "tat", "mute", "tắt chủ đề", "tắt chủ đề này", "mute this topic", "mute topic"}
)


def is_mute_command(text: str) -> bool:
    words = " ".join(unicodedata.normalize("NFC", text).strip(" \t\r\n.!").lower().split())
    return words in MUTE_WORDS


def muting_reply(post: Arrived) -> str | None:
    """A member's reply saying only "tắt" / "mute" mutes the thread it answers."""
    parsed = post.parsed
    if not post.sender or not is_mute_command(own_text(parsed.text)):
        return None
    replied = [i for i in (parsed.in_reply_to, *parsed.references) if i]
    if not replied or find_member(post.session, post.mlist, post.sender) is None:
        return None
    thread_id = post.session.scalar(
        select(Message.thread_id)
        .where(Message.list_id == post.mlist.id, Message.message_id.in_(replied))
        .limit(1)
    )
    if thread_id is None:
        return None
    choose(post.session, thread_id, post.sender, MUTE)
    return f"muted thread {thread_id} (a mute alone is not posted)"
