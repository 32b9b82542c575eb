"""Fan a stored post out: decorate it once (and once more for each recipient a feature adds a
paragraph for) and queue a copy for every member who does not have it yet."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import MailingList, Message
from forum.hooks import Extras
from forum.lists.lists import policy_of
from forum.lists.members import owner_addresses
from forum.mail.bounces import verp_sender
from forum.mail.decorate import ListIdentity, decorate
from forum.mail.dmarc import DmarcCache, should_munge
from forum.mail.outbox import enqueue
from forum.mail.routing import list_address
from forum.models import Delivery, OutgoingMessage
from forum.policy import Policy
from forum.posting.footers import delivered_footer
from forum.settings import Settings
from forum.topics.choices import followed_by_posting
from forum.topics.choices import recipients as topic_recipients


def identity_of(settings: Settings, mlist: MailingList, policy: Policy) -> ListIdentity:
    return ListIdentity(
        name=mlist.name,
        domain=mlist.domain,
        display_name=mlist.display_name,
        base_url=settings.base_url,
        subject_prefix=policy.subject_prefix,
        footer=delivered_footer(settings, mlist, policy),
    )


def archived_url(settings: Settings, mlist: MailingList, message: Message) -> str:
    return f"{settings.base_url}/lists/{mlist.name}/message/{message.message_id_hash}/"


def fan_out(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    raw: bytes,
    message: Message,
    extras: Extras,
    dmarc: DmarcCache | None,
) -> tuple[int, int]:
    """Queue the post for every member who gets it (their delivery mode, muted and followed
    threads; `extras.always` whatever those say); `extras.footers` adds a paragraph to some
    recipients' copy. Returns (copies queued, members who already have it from another
    group)."""
    footers = extras.footers
    policy = policy_of(session, mlist)
    author_domain = message.sender_email.rpartition("@")[2].lower()
    found = dmarc.policy(author_domain) if dmarc is not None and author_domain else None
    munge = should_munge(found, policy.dmarc_munge)
    identity = identity_of(settings, mlist, policy)
    url = archived_url(settings, mlist, message)
    followed_by_posting(session, message)  # and un-muted: the author takes part again
    members = topic_recipients(session, mlist, message, extras.always)
    already = copies_queued_for(session, message.message_id)
    recipients = [r for r in members if r.lower() not in already]
    envelope = {r: verp_sender(mlist.name, mlist.domain, r) for r in recipients}
    personal = {r for r in recipients if footers.get(r.lower())}
    common = decorate(raw, identity, archived_url=url, munge_from=munge)
    queued = [(r, envelope[r]) for r in recipients if r not in personal]
    enqueue(
        session, common, queued, list_id=mlist.id, archived_id=message.id, subject=message.subject
    )
    for person in sorted(personal):
        footer = delivered_footer(settings, mlist, policy, footers[person.lower()])
        own = replace(identity, footer=footer)
        copy = decorate(raw, own, archived_url=url, munge_from=munge)
        enqueue(
            session,
            copy,
            [(person, envelope[person])],
            list_id=mlist.id,
            archived_id=message.id,
            subject=message.subject,
        )
    return len(recipients), len(members) - len(recipients)


def copies_queued_for(session: Session, message_id: str) -> set[str]:
    """Who already gets this Message-ID from any list: a cross-posted message arrives once."""
    query = (
        select(Delivery.recipient)
        .join(OutgoingMessage, OutgoingMessage.id == Delivery.outgoing_id)
        .join(Message, Message.id == OutgoingMessage.archived_id)
        .where(Message.message_id == message_id)
    )
    return {r.lower() for r in session.scalars(query)}


def forward_to_owners(session: Session, mlist: MailingList, raw: bytes) -> int:
    """Mail to `LIST-owner@` goes to the owners as it came; returns how many."""
    owners = owner_addresses(session, mlist)
    if owners:
        bounces = list_address(mlist.name, mlist.domain, "bounces")
        enqueue(session, raw, [(o, bounces) for o in owners], list_id=mlist.id, kind="forward")
    return len(owners)
