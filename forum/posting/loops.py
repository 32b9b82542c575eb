"""Loops: our own list mail coming back to us is dropped, never posted again."""

from __future__ import annotations

from collections.abc import Mapping

from archive.models import MailingList


def is_loop(headers: Mapping[str, str], mlist: MailingList) -> bool:
    """Our own List-Id or X-Loop on incoming mail: a copy we sent has come back."""
    list_id = f"<{mlist.name}.{mlist.domain}>".lower()
    posting = mlist.posting_address.lower()
    return (
        list_id in headers.get("list-id", "").lower()
        or posting in headers.get("x-loop", "").lower()
    )
