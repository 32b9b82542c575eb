"""Creating and finding lists, and the presets that create a whole site's lists at once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import MailingList
from forum.mail.routing import list_address
from forum.models import ListAlias, ListPolicy
from forum.policy import Policy, snapshot

LIST_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class ListSpec:
    name: str
    display_name: str
    description: str
    join_aliases: tuple[str, ...] = ()


class ListError(ValueError):
    """A list cannot be created as asked (bad name, already exists)."""


def policy_of(session: Session, mlist: MailingList) -> Policy:
    """The list's settings (the defaults for a list that never changed one)."""
    return snapshot(session.get(ListPolicy, mlist.id))


def find_list(session: Session, name: str) -> MailingList | None:
    return session.scalar(select(MailingList).where(MailingList.name == name.lower()))


def ensure_list(session: Session, spec: ListSpec, domain: str) -> tuple[MailingList, bool]:
    """Create the list (and its aliases) unless it exists; returns (list, created)."""
    name = spec.name.lower()
    if not LIST_NAME.match(name):
        raise ListError(f"invalid list name: {spec.name!r}")
    existing = find_list(session, name)
    if existing is not None:
        _ensure_aliases(session, existing, spec.join_aliases)
        return existing, False
    mlist = MailingList(
        name=name,
        domain=domain.lower(),
        display_name=spec.display_name,
        description=spec.description,
    )
    session.add(mlist)
    session.flush()
    _ensure_aliases(session, mlist, spec.join_aliases)
    return mlist, True


def _ensure_aliases(session: Session, mlist: MailingList, aliases: tuple[str, ...]) -> None:
    present = set(
        session.scalars(select(ListAlias.local_part).where(ListAlias.list_id == mlist.id))
    )
    for alias in aliases:
        local = alias.lower()
        if local not in present:
            session.add(ListAlias(list_id=mlist.id, local_part=local, domain=mlist.domain))
            present.add(local)
    session.flush()


def aliases_of(session: Session, mlist: MailingList) -> list[ListAlias]:
    query = select(ListAlias).where(ListAlias.list_id == mlist.id).order_by(ListAlias.local_part)
    return list(session.scalars(query))


def join_address(session: Session, mlist: MailingList) -> str:
    """The address automatic mail gives for joining: the list's registration alias
    (`dangky-thpt@`, as the Ministry's notice gives it) when it has one, else `LIST-join@`."""
    aliases = [a for a in aliases_of(session, mlist) if a.purpose == "join"]
    if aliases:
        return aliases[0].address
    return list_address(mlist.name, mlist.domain, "join")
