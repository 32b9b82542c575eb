"""What the pipeline does with accepted mail: archive and fan a post out, and forward to
owners. (Bounces are forum.lists.bouncing's.)"""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import MailingList, Message
from archive.store import store
from forum.lists.members import delivery_addresses, owner_addresses
from forum.lists.senders import is_accepted
from forum.mail.automail import bilingual
from forum.mail.bounces import verp_sender
from forum.mail.decorate import ListIdentity, decorate
from forum.mail.dmarc import CachedPolicies, should_munge
from forum.mail.outbox import enqueue
from forum.mail.routing import list_address
from forum.models import Delivery, ListPolicy, Notice, OutgoingMessage
from forum.notices.notices import ack_url, focal_addresses
from forum.notices.notices import register as register_notice
from forum.notices.tags import parse_notice_tag
from forum.settings import Settings


def policy_of(session: Session, mlist: MailingList) -> ListPolicy:
    """The list's settings; a list without a row gets every column's default."""
    found = session.get(ListPolicy, mlist.id)
    if found is not None:
        return found
    defaults = {
        column.key: column.default.arg
        for column in ListPolicy.__table__.columns
        if column.default is not None
    }
    return ListPolicy(list_id=mlist.id, **defaults)


def identity_of(settings: Settings, mlist: MailingList, policy: ListPolicy) -> ListIdentity:
    return ListIdentity(
        name=mlist.name,
        domain=mlist.domain,
        display_name=mlist.display_name,
        base_url=settings.base_url,
        subject_prefix=policy.subject_prefix,
        footer=policy.footer,
    )


def archived_url(settings: Settings, mlist: MailingList, message: Message) -> str:
    return f"{settings.base_url}/lists/{mlist.name}/message/{message.message_id_hash}/"


def accept_post(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    raw: bytes,
    policies: CachedPolicies | None,
) -> str:
    """Archive the post, decorate it once and queue a copy for every member."""
    result = store(session, raw, mlist.id)
    if not result.stored:
        return "discarded: this Message-ID is already in the list (duplicate)"
    message = session.get(Message, result.stored[0])
    assert message is not None  # noqa: S101 - just stored
    policy = policy_of(session, mlist)
    author_domain = message.sender_email.rpartition("@")[2].lower()
    found = policies.policy(author_domain) if policies is not None and author_domain else None
    munge = should_munge(found, policy.dmarc_munge)
    copy = decorate(
        raw,
        identity_of(settings, mlist, policy),
        archived_url=archived_url(settings, mlist, message),
        munge_from=munge,
    )
    members = delivery_addresses(session, mlist)
    already = copies_queued_for(session, message.message_id)
    recipients = [r for r in members if r.lower() not in already]
    notice = _notice_of(session, settings, mlist, message)
    focal = {f.lower() for f in focal_addresses(session, mlist)} if notice else set()
    envelope = {r: verp_sender(mlist.name, mlist.domain, r) for r in recipients}
    enqueue(
        session,
        copy,
        [(r, envelope[r]) for r in recipients if r.lower() not in focal],
        list_id=mlist.id,
        archived_id=message.id,
        subject=message.subject,
    )
    for person in (r for r in recipients if r.lower() in focal and notice is not None):
        identity = replace(
            identity_of(settings, mlist, policy),
            footer=_ack_footer(settings, notice.id, person, policy.footer),  # type: ignore[union-attr]
        )
        own = decorate(
            raw, identity, archived_url=archived_url(settings, mlist, message), munge_from=munge
        )
        enqueue(
            session,
            own,
            [(person, envelope[person])],
            list_id=mlist.id,
            archived_id=message.id,
            subject=message.subject,
        )
    skipped = len(members) - len(recipients)
    note = f" ({skipped} already have it from another group)" if skipped else ""
    return f"posted to {len(recipients)} members{note}"


def _notice_of(
    session: Session, settings: Settings, mlist: MailingList, message: Message
) -> Notice | None:
    """A tagged post from an authorised sender is a notice; anyone else's tag is just text."""
    tag = parse_notice_tag(message.subject)
    if tag is None or not is_accepted(session, mlist, message.sender_email):
        return None
    return register_notice(session, settings, mlist, message, tag)


def _ack_footer(settings: Settings, notice_id: int, email: str, footer: str) -> str:
    url = ack_url(settings, notice_id, email)
    vietnamese, english = bilingual(
        lambda: _(
            "You are the focal point of your unit: please acknowledge this notice: %(url)s "
            '(or reply with "đã nhận").',
            url=url,
        )
    )
    lines = [footer] if footer else []
    return "\n".join([*lines, vietnamese, english if english != vietnamese else ""]).strip()


def copies_queued_for(session: Session, message_id: str) -> set[str]:
    """Who already gets this Message-ID from any list: a cross-posted message arrives once."""
    query = (
        select(Delivery.recipient)
        .join(OutgoingMessage, OutgoingMessage.id == Delivery.outgoing_id)
        .join(Message, Message.id == OutgoingMessage.archived_id)
        .where(Message.message_id == message_id)
    )
    return {r.lower() for r in session.scalars(query)}


def forward_to_owners(session: Session, settings: Settings, mlist: MailingList, raw: bytes) -> str:
    owners = owner_addresses(session, mlist)
    if not owners:
        return "kept: the list has no owner to forward to"
    bounces = list_address(mlist.name, mlist.domain, "bounces")
    enqueue(session, raw, [(o, bounces) for o in owners], list_id=mlist.id, kind="forward")
    return f"forwarded to {len(owners)} owners"
