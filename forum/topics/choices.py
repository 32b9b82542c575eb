"""Muting and following threads, and who gets a post given the members' modes and choices."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import Address, MailingList, Message, Thread
from forum.models import Member
from forum.topics.models import FOLLOW, MUTE, TopicChoice

EVERY, TOPICS = "all", "topics"  # delivery modes: every message; new topics and followed ones


def choose(session: Session, thread_id: int, email: str, choice: str | None) -> None:
    """Mute, follow, or (None) forget the member's choice about one thread."""
    email = email.strip().lower()
    found = session.scalar(
        select(TopicChoice).where(TopicChoice.thread_id == thread_id, TopicChoice.email == email)
    )
    if choice is None:
        if found is not None:
            session.delete(found)
        return
    if choice not in (MUTE, FOLLOW):
        raise ValueError(f"not a topic choice: {choice!r}")
    if found is None:
        session.add(TopicChoice(thread_id=thread_id, email=email, choice=choice))
    else:
        found.choice, found.chosen_at = choice, utcnow()
    session.flush()


def choice_of(session: Session, thread_id: int, email: str) -> str | None:
    return session.scalar(
        select(TopicChoice.choice).where(
            TopicChoice.thread_id == thread_id, TopicChoice.email == email.strip().lower()
        )
    )


def choices_in(session: Session, thread_id: int) -> dict[str, str]:
    """Every member's choice about one thread: address -> MUTE or FOLLOW."""
    rows = session.execute(
        select(TopicChoice.email, TopicChoice.choice).where(TopicChoice.thread_id == thread_id)
    )
    return {email: choice for email, choice in rows}


@dataclass(frozen=True, slots=True)
class Chosen:
    """A muted or followed thread, for the member's profile."""

    thread_id: int
    list_name: str
    subject: str
    choice: str
    chosen_at: datetime


def chosen_by(session: Session, email: str) -> list[Chosen]:
    query = (
        select(
            Thread.id, MailingList.name, Thread.subject, TopicChoice.choice, TopicChoice.chosen_at
        )
        .join(Thread, Thread.id == TopicChoice.thread_id)
        .join(MailingList, MailingList.id == Thread.list_id)
        .where(TopicChoice.email == email.strip().lower())
        .order_by(TopicChoice.chosen_at.desc())
    )
    return [Chosen(*row) for row in session.execute(query)]


def followed_by_posting(session: Session, message: Message) -> None:
    """Starting or replying to a thread follows it (and so un-mutes it)."""
    if message.sender_email:
        choose(session, message.thread_id, message.sender_email, FOLLOW)


def is_new_topic(session: Session, message: Message) -> bool:
    thread = session.get(Thread, message.thread_id)
    return thread is None or thread.message_count <= 1 or thread.root_message_id == message.id


def recipients(
    session: Session, mlist: MailingList, message: Message, always: Collection[str] = ()
) -> list[str]:
    """Who gets this post now: members reading every message who have not muted its thread,
    members of the "new topics" mode when it starts a thread or they follow it, and `always`
    (focal points, for notices that need action), whatever their mode or choice."""
    rows = session.execute(
        select(Address.email, Member.delivery_mode)
        .join(Member, Member.address_id == Address.id)
        .where(Member.list_id == mlist.id, Member.delivery_enabled.is_(True))
        .order_by(Address.email)
    ).all()
    choices = choices_in(session, message.thread_id)
    wanted = {address.lower() for address in always}
    new_topic = is_new_topic(session, message)
    chosen = []
    for email, mode in rows:
        choice = choices.get(email.lower())
        if (
            email.lower() in wanted
            or (mode == EVERY and choice != MUTE)
            or (mode == TOPICS and (new_topic or choice == FOLLOW))
        ):
            chosen.append(email)
    return chosen


def muted_threads(session: Session, email: str, thread_ids: Collection[int]) -> set[int]:
    """Which of these threads the address has muted (for its digest)."""
    if not thread_ids:
        return set()
    found = session.scalars(
        select(TopicChoice.thread_id).where(
            TopicChoice.email == email.strip().lower(),
            TopicChoice.choice == MUTE,
            TopicChoice.thread_id.in_(list(thread_ids)),
        )
    )
    return set(found)


def forget_thread(session: Session, thread_id: int) -> None:
    session.execute(delete(TopicChoice).where(TopicChoice.thread_id == thread_id))
