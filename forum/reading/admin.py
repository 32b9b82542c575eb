"""Read-side queries for the admin pages: the inbound queue and the outbox's delivery status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from forum.models import Delivery, InboundMessage, OutgoingMessage

STATES = ("queued", "sending", "sent", "deferred", "failed")


@dataclass(frozen=True, slots=True)
class OutgoingSummary:
    outgoing: OutgoingMessage
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def waiting_inbound(session: Session, limit: int = 100) -> Sequence[InboundMessage]:
    """Inbound mail that needs a person: held, failed, or still queued."""
    query = (
        select(InboundMessage)
        .where(InboundMessage.state.in_(("held", "failed", "queued")))
        .order_by(InboundMessage.id.desc())
        .limit(limit)
    )
    return session.scalars(query).all()


def outgoing_summaries(session: Session, limit: int = 50) -> list[OutgoingSummary]:
    recent = session.scalars(
        select(OutgoingMessage).order_by(OutgoingMessage.id.desc()).limit(limit)
    ).all()
    counts = _counts(session, [o.id for o in recent])
    return [OutgoingSummary(o, counts.get(o.id, {})) for o in recent]


def outgoing_summary(session: Session, outgoing_id: int) -> OutgoingSummary | None:
    """One message's delivery, over all its copies (focal points' own copies included)."""
    outgoing = session.get(OutgoingMessage, outgoing_id)
    if outgoing is None:
        return None
    total: dict[str, int] = {}
    for counts in _counts(session, copies_of(session, outgoing)).values():
        for state, count in counts.items():
            total[state] = total.get(state, 0) + count
    return OutgoingSummary(outgoing, total)


def copies_of(session: Session, outgoing: OutgoingMessage) -> list[int]:
    """The outgoing messages that deliver one archived post (a notice's focal points get
    copies of their own, with their acknowledgement link)."""
    if outgoing.archived_id is None:
        return [outgoing.id]
    return list(
        session.scalars(
            select(OutgoingMessage.id).where(OutgoingMessage.archived_id == outgoing.archived_id)
        )
    )


def deliveries_query(outgoing_ids: list[int], state: str | None) -> Select[Delivery]:
    query = select(Delivery).where(Delivery.outgoing_id.in_(outgoing_ids))
    if state in STATES:
        query = query.where(Delivery.state == state)
    return query.order_by(Delivery.state, Delivery.recipient)


def _counts(session: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = {}
    if not ids:
        return found
    rows = session.execute(
        select(Delivery.outgoing_id, Delivery.state, func.count(Delivery.id))
        .where(Delivery.outgoing_id.in_(ids))
        .group_by(Delivery.outgoing_id, Delivery.state)
    )
    for outgoing_id, state, count in rows:
        found.setdefault(outgoing_id, {})[state] = count
    return found


def lists_without_focal_point(session: Session) -> list[str]:
    """Groups where no member is flagged as the unit's focal point."""
    from archive.models import MailingList
    from forum.models import Member

    with_focal = select(Member.list_id).where(Member.is_focal_point.is_(True))
    query = (
        select(MailingList.name).where(MailingList.id.not_in(with_focal)).order_by(MailingList.name)
    )
    return list(session.scalars(query))


def focal_points(session: Session) -> list[tuple[str, str, str]]:
    """(group, unit, address) of every focal point."""
    from archive.models import Address, MailingList
    from forum.models import Member

    query = (
        select(MailingList.name, Member.unit, Address.email)
        .join(Member, Member.list_id == MailingList.id)
        .join(Address, Address.id == Member.address_id)
        .where(Member.is_focal_point.is_(True))
        .order_by(MailingList.name, Member.unit, Address.email)
    )
    return [(name, unit, email) for name, unit, email in session.execute(query)]


def all_lists(session: Session) -> list[tuple[str, str]]:
    """(name, display name) of every list, for the admin's links."""
    from archive.models import MailingList

    query = select(MailingList.name, MailingList.display_name).order_by(MailingList.name)
    return [(name, display) for name, display in session.execute(query)]
