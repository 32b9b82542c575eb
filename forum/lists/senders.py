"""Who may post without moderation and send notices: moderators, owners, accepted senders."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import MailingList
from forum.lists.members import find_member
from forum.models import AcceptedSender

MODERATOR_ROLES = ("moderator", "owner")


def is_moderator(session: Session, mlist: MailingList, email: str) -> bool:
    member = find_member(session, mlist, email)
    return member is not None and member.role in MODERATOR_ROLES


def is_accepted(session: Session, mlist: MailingList, email: str) -> bool:
    found = session.scalar(
        select(AcceptedSender.id).where(
            AcceptedSender.list_id == mlist.id, AcceptedSender.email == email.lower()
        )
    )
    return found is not None or is_moderator(session, mlist, email)
