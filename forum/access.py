"""Who may read what: public lists are open to anyone, private ones to their members."""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive.models import MailingList
from forum.members import find_member
from forum.models import Account


def can_read(session: Session, mlist: MailingList, account: Account | None) -> bool:
    if not mlist.is_private:
        return True
    if account is None:
        return False
    return account.is_admin or find_member(session, mlist, account.email) is not None
