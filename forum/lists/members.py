"""Members of a list: adding them, and who gets mail."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from archive.models import Address, MailingList
from forum.models import Member

ROLES = ("member", "moderator", "owner")


def address_for(session: Session, email: str, display_name: str = "") -> Address:
    """The Address row for `email` (matched case-insensitively), created when new."""
    email = email.strip().lower()  # as archive.headers.parse_from gives them
    found = session.scalar(select(Address).where(Address.email == email))
    if found is None:
        found = session.scalar(select(Address).where(same_address(Address.email, email)))
    if found is None:
        found = Address(email=email, display_name=display_name)
        session.add(found)
        session.flush()
    elif display_name and not found.display_name:
        found.display_name = display_name
    return found


def same_address(column: InstrumentedAttribute[str], email: str) -> ColumnElement[bool]:
    """Case-insensitive equality (ILIKE with its wildcards escaped: `_` is common in addresses)."""
    escaped = email.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(escaped, escape="\\")


def add_member(
    session: Session, mlist: MailingList, email: str, display_name: str = "", role: str = "member"
) -> tuple[Member, bool]:
    """Subscribe `email` (idempotent); returns (member, created)."""
    if role not in ROLES:
        raise ValueError(f"unknown role: {role!r}")
    address = address_for(session, email, display_name)
    member = find_member(session, mlist, address.email)
    if member is not None:
        return member, False
    member = Member(list_id=mlist.id, address_id=address.id, role=role)
    session.add(member)
    session.flush()
    return member, True


def find_member(session: Session, mlist: MailingList, email: str) -> Member | None:
    if not email:
        return None
    return session.scalar(
        select(Member)
        .join(Address, Address.id == Member.address_id)
        .where(Member.list_id == mlist.id, same_address(Address.email, email.strip()))
    )


def delivery_addresses(session: Session, mlist: MailingList) -> list[str]:
    """Everyone who receives the list's mail."""
    return list(
        session.scalars(
            select(Address.email)
            .join(Member, Member.address_id == Address.id)
            .where(
                Member.list_id == mlist.id,
                Member.delivery_enabled.is_(True),
                Member.delivery_mode == "all",
            )
            .order_by(Address.email)
        )
    )


def member_addresses(session: Session, mlist: MailingList) -> list[str]:
    """Every member, whatever their delivery."""
    return list(
        session.scalars(
            select(Address.email)
            .join(Member, Member.address_id == Address.id)
            .where(Member.list_id == mlist.id)
            .order_by(Address.email)
        )
    )


def owner_addresses(session: Session, mlist: MailingList) -> list[str]:
    return list(
        session.scalars(
            select(Address.email)
            .join(Member, Member.address_id == Address.id)
            .where(Member.list_id == mlist.id, Member.role == "owner")
            .order_by(Address.email)
        )
    )


def on_list_domains(session: Session, emails: Iterable[str]) -> list[str]:
    """The addresses on a domain the lists live on. The MTA hands every address of that
    domain to the forum, which answers `550 No such list` for one that is not a list: such a
    member never gets mail, and their copies come back as bounces."""
    domains = {d.lower() for d in session.scalars(select(MailingList.domain).distinct())}
    return [e for e in emails if e.rpartition("@")[2].lower().rstrip(".") in domains]


def focal_point_addresses(session: Session, mlist: MailingList) -> frozenset[str]:
    """The list's focal points (lowercased): each unit's mandatory contact."""
    return frozenset(
        email.lower()
        for email in session.scalars(
            select(Address.email)
            .join(Member, Member.address_id == Address.id)
            .where(Member.list_id == mlist.id, Member.is_focal_point.is_(True))
        )
    )
