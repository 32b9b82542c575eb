"""The inbound queue: mail is stored here, durably, before we answer 250 to its sender, and
claimed by one processor at a time (a lease, and FOR UPDATE SKIP LOCKED on PostgreSQL), like
the outbox. A claim that outlives its lease (its processor died) is claimed again; a message
whose processor died `MAX_ATTEMPTS` times is set aside as failed (a poison message)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, or_, select, update
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import MailingList
from forum.mail.routing import AddressBook
from forum.models import InboundMessage, InboundState, ListAlias
from forum.settings import Settings

LEASE = timedelta(minutes=1)  # the default; FORUM_INBOUND_LEASE_SECONDS sets the worker's
MAX_ATTEMPTS = 3
GAVE_UP = (
    "set aside: the processor stopped {n} times while handling this message "
    "(retry it once the cause is fixed)"
)


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


def new_claim() -> str:
    return uuid.uuid4().hex


def enqueue_inbound(
    session: Session,
    raw: bytes,
    mail_from: str,
    recipients: Sequence[str],
    *,
    claimed_by: str | None = None,
    approved_by: str = "",
) -> int:
    """Store one arrived message for the pipeline and commit; returns its queue id. With
    `claimed_by`, the message is already claimed by its caller (a web post processed in its
    request), so no worker takes it unless the caller dies and the lease runs out."""
    item = InboundMessage(
        raw=raw,
        mail_from=mail_from,
        recipients="\n".join(recipients),
        approved_by=approved_by,
        claimed_by=claimed_by,
        claimed_until=utcnow() + LEASE if claimed_by else None,
        attempts=1 if claimed_by else 0,
    )
    session.add(item)
    session.commit()
    return item.id


@dataclass(frozen=True, slots=True)
class Submitted:
    """A message queued already claimed by its caller, to process at once."""

    item_id: int
    claim: str


def submit(
    session: Session, raw: bytes, mail_from: str, recipients: Sequence[str], approved_by: str = ""
) -> Submitted:
    """Queue a message claimed by the caller (a web post processed in its request): no worker
    takes it unless the caller dies and the lease runs out. Commits."""
    claim = new_claim()
    item_id = enqueue_inbound(
        session, raw, mail_from, recipients, claimed_by=claim, approved_by=approved_by
    )
    return Submitted(item_id, claim)


def _claimable(now: datetime) -> object:
    return and_(
        InboundMessage.state == InboundState.QUEUED,
        or_(InboundMessage.claimed_until.is_(None), InboundMessage.claimed_until < now),
    )


def claim_inbound(
    db: Session | Connection, limit: int, lease: timedelta = LEASE, now: datetime | None = None
) -> tuple[str, list[int]]:
    """Claim up to `limit` queued messages, oldest first, and commit the claim; returns the
    claim and the ids. Messages that were claimed too often without finishing are failed."""
    now = now or utcnow()
    claimable = _claimable(now)
    db.execute(
        update(InboundMessage)
        .where(claimable, InboundMessage.attempts >= MAX_ATTEMPTS)  # type: ignore[arg-type]
        .values(
            state=InboundState.FAILED,
            error=GAVE_UP.format(n=MAX_ATTEMPTS),
            claimed_by=None,
            claimed_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    claim = new_claim()
    # Chosen once, in a materialised CTE: as a plain IN (subquery), PostgreSQL may run the
    # LIMIT ... SKIP LOCKED subquery again for each row and claim far more than `limit`.
    candidates = (
        select(InboundMessage.id)
        .where(claimable)  # type: ignore[arg-type]
        .order_by(InboundMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("candidates")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    db.execute(
        update(InboundMessage)
        .where(InboundMessage.id.in_(select(candidates.c.id)), claimable)  # type: ignore[arg-type]
        .values(claimed_by=claim, claimed_until=now + lease, attempts=InboundMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    ids = db.execute(
        select(InboundMessage.id)
        .where(InboundMessage.claimed_by == claim, InboundMessage.state == InboundState.QUEUED)
        .order_by(InboundMessage.id)
    )
    return claim, [row[0] for row in ids]


def take(
    session: Session, item_id: int, claim: str, lease: timedelta = LEASE
) -> InboundMessage | None:
    """Begin processing a claimed message: the first write of its transaction, so the row is
    locked (PostgreSQL) or the database is (SQLite) until the outcome is committed. None when
    the claim was lost (the lease ran out and another processor has it) or it is done."""
    taken = session.execute(
        update(InboundMessage)
        .where(
            InboundMessage.id == item_id,
            InboundMessage.claimed_by == claim,
            InboundMessage.state == InboundState.QUEUED,
        )
        .values(claimed_until=utcnow() + lease)
        .execution_options(synchronize_session=False)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        session.rollback()
        return None
    return session.get(InboundMessage, item_id, populate_existing=True)


def release(session: Session, claim: str) -> None:
    """Give back what is left of a claim (a stopping processor), for anyone to take at once."""
    session.execute(
        update(InboundMessage)
        .where(InboundMessage.claimed_by == claim, InboundMessage.state == InboundState.QUEUED)
        .values(claimed_by=None, claimed_until=None, attempts=InboundMessage.attempts - 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def settle(item: InboundMessage, state: InboundState, outcome: str) -> None:
    """Record what processing did; the claim ends with it."""
    item.state, item.outcome, item.error = state, outcome, ""
    item.processed_at = utcnow()
    item.claimed_by = item.claimed_until = None


def fail(session: Session, item_id: int, error: str) -> None:
    """Set a message aside with its error (after the failed transaction was rolled back)."""
    session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == item_id)
        .values(state=InboundState.FAILED, error=error, claimed_by=None, claimed_until=None)
    )
    session.commit()


def retry_failed(session: Session, item_id: int | None = None) -> int:
    """Put failed messages (one, or all) back in the queue, with a fresh count of attempts."""
    query = update(InboundMessage).where(InboundMessage.state == InboundState.FAILED)
    if item_id is not None:
        query = query.where(InboundMessage.id == item_id)
    count = session.execute(
        query.values(state=InboundState.QUEUED, attempts=0, claimed_by=None, claimed_until=None)
    ).rowcount  # type: ignore[attr-defined]
    session.commit()
    return int(count or 0)
