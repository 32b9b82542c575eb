"""Who may read what and who manages a list: public lists are open to anyone, private ones to
their members; owners (and the site admin) manage members, moderators and owners moderate."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Address, MailingList
from forum.lists.members import find_member
from forum.models import Account, Member


def can_read(session: Session, mlist: MailingList, account: Account | None) -> bool:
    if not mlist.is_private:
        return True
    if account is None:
        return False
    return account.is_admin or find_member(session, mlist, account.email) is not None


def can_read_any(session: Session, lists: Iterable[MailingList], account: Account | None) -> bool:
    """What was sent to several lists (a draft, its comments, its report) is readable by
    whoever may read any one of them; sent to none, by nobody here."""
    return any(can_read(session, mlist, account) for mlist in lists)


def readable_list_ids(session: Session, account: Account | None) -> frozenset[int] | None:
    """The lists this reader may read, for filtering queries; None means every list (the
    site admin)."""
    if account is not None and account.is_admin:
        return None
    public = select(MailingList.id).where(MailingList.is_private.is_(False))
    ids = set(session.scalars(public))
    if account is not None and account.email:
        private = (
            select(Member.list_id)
            .join(Address, Address.id == Member.address_id)
            .where(Address.email.ilike(account.email.strip()))
        )
        ids.update(session.scalars(private))
    return frozenset(ids)


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
