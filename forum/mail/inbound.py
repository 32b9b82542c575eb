"""The inbound queue: mail is stored here, durably, before we answer 250 to its sender."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import MailingList
from forum.mail.routing import AddressBook
from forum.models import InboundMessage, ListAlias
from forum.settings import Settings


def address_book(session: Session, settings: Settings) -> AddressBook:
    """Every address the site answers to, read fresh (lists change while the server runs)."""
    lists = frozenset(
        (name, domain.lower())
        for name, domain in session.execute(select(MailingList.name, MailingList.domain))
    )
    aliases = {
        (local.lower(), domain.lower()): name
        for local, domain, name in session.execute(
            select(ListAlias.local_part, ListAlias.domain, MailingList.name).join(
                MailingList, MailingList.id == ListAlias.list_id
            )
        )
    }
    return AddressBook(lists, aliases, settings.noreply_address)


def enqueue_inbound(session: Session, raw: bytes, mail_from: str, recipients: Sequence[str]) -> int:
    """Store one arrived message for the pipeline and commit; returns its queue id."""
    item = InboundMessage(raw=raw, mail_from=mail_from, recipients="\n".join(recipients))
    session.add(item)
    session.commit()
    return item.id
