"""Rules that decide what happens to a post (this issue: loops, and members-only posting)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from archive.models import MailingList
from forum.lists.members import find_member


def is_loop(headers: Mapping[str, str], mlist: MailingList) -> bool:
    """Our own List-Id or X-Loop on incoming mail: a copy we sent has come back."""
    list_id = f"<{mlist.name}.{mlist.domain}>".lower()
    posting = mlist.posting_address.lower()
    return (
        list_id in headers.get("list-id", "").lower()
        or posting in headers.get("x-loop", "").lower()
    )


def sender_is_member(session: Session, mlist: MailingList, email: str) -> bool:
    return find_member(session, mlist, email) is not None
