"""Who may read what and who manages a list: public lists are open to anyone, private ones to
their members; owners (and the site admin) manage members, moderators and owners moderate."""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive.models import MailingList
from forum.lists.members import find_member
from forum.models import Account


def can_read(session: Session, mlist: MailingList, account: Account | None) -> bool:
    if not mlist.is_private:
        return True
    if account is None:
        return False
    return account.is_admin or find_member(session, mlist, account.email) is not None


def can_see_addresses(session: Session, mlist: MailingList, account: Account | None) -> bool:
    """The raw mail and mbox downloads carry every address unhidden: the list's members and
    the site admin only, even on a public list (whose pages hide addresses)."""
    if account is None:
        return False
    return account.is_admin or find_member(session, mlist, account.email) is not None


def managing_role(session: Session, mlist: MailingList, account: Account | None) -> str | None:
    """'owner' for the list's owners and the site admin, 'moderator' for its moderators."""
    if account is None:
        return None
    if account.is_admin:
        return "owner"
    member = find_member(session, mlist, account.email)
    if member is None or member.role not in ("owner", "moderator"):
        return None
    return member.role
