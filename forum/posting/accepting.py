"""An accepted post: archived in the list, handed to the features' after-store steps, and fanned
out to the members. The pipeline and a moderator's approval both end here."""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive.models import MailingList, Message
from archive.parsed import ParsedMessage
from archive.store import store
from forum.hooks import Extras, Stored
from forum.mail.dmarc import DmarcCache
from forum.posting.fanout import fan_out
from forum.posting.outcomes import Outcome, Result
from forum.posting.steps import AFTER_STORE
from forum.settings import Settings


def accept(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    raw: bytes,
    parsed: ParsedMessage,
    dmarc: DmarcCache | None,
) -> Result:
    stored = store(session, raw, mlist.id)
    if not stored.stored:
        return Result(Outcome.DUPLICATE, "this Message-ID is already in the list")
    message = session.get(Message, stored.stored[0])
    assert message is not None  # noqa: S101 - just stored
    footers: dict[str, str] = {}
    always: set[str] = set()
    notes = []
    for step in AFTER_STORE:
        extras = step(Stored(session, settings, mlist, message, parsed))
        for address, paragraph in extras.footers.items():
            footers[address] = "\n\n".join(p for p in (footers.get(address), paragraph) if p)
        always |= extras.always
        notes.append(extras.note)
    extras = Extras(footers=footers, always=frozenset(always))
    queued, skipped = fan_out(session, settings, mlist, raw, message, extras, dmarc)
    notes.insert(0, f"to {queued} members")
    if skipped:
        notes.insert(1, f"{skipped} already have it from another group")
    return Result(Outcome.POSTED, "; ".join(note for note in notes if note))
