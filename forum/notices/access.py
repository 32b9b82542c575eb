"""A notice on the web, for the signed-in person: the sender, the target groups' owners and
moderators (and the site admin) see its dashboard; a focal point of a target group sees a
button to acknowledge it, or when they did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Address, MailingList, Message
from forum.lists.senders import is_moderator
from forum.models import Account, Member
from forum.notices.models import Notice, NoticeList
from forum.notices.notices import ack_url, status
from forum.settings import Settings


@dataclass(frozen=True, slots=True)
class NoticeActions:
    dashboard: bool = False  # may open the dashboard
    ack_url: str = ""  # a focal point's own acknowledgement link, until they acknowledge
    acknowledged_at: datetime | None = None


def notice_lists(session: Session, notice: Notice) -> list[MailingList]:
    return list(
        session.scalars(
            select(MailingList)
            .join(NoticeList, NoticeList.list_id == MailingList.id)
            .where(NoticeList.notice_id == notice.id)
            .order_by(MailingList.name)
        )
    )


def can_see_dashboard(session: Session, notice: Notice, account: Account) -> bool:
    return (
        account.is_admin
        or account.email.lower() == notice.sender_email.lower()
        or any(is_moderator(session, m, account.email) for m in notice_lists(session, notice))
    )


def notice_actions(
    session: Session, settings: Settings, notice: Notice, account: Account | None
) -> NoticeActions:
    if account is None:
        return NoticeActions()
    dashboard = can_see_dashboard(session, notice, account)
    mine = [r for r in status(session, notice) if r.email.lower() == account.email.lower()]
    if not mine:
        return NoticeActions(dashboard)
    acknowledged_at = next((r.acknowledged_at for r in mine if r.acknowledged_at), None)
    link = "" if acknowledged_at else ack_url(settings, notice.id, account.email.lower())
    return NoticeActions(dashboard, link, acknowledged_at)


@dataclass(frozen=True, slots=True)
class NoticeEntry:
    notice: Notice
    actions: NoticeActions
    list_name: str  # where its archived copy is shown (one of the person's groups)
    message_hash: str


def notices_for(
    session: Session, settings: Settings, account: Account, limit: int = 100
) -> list[NoticeEntry]:
    """The newest notices sent to the person's groups (every group for the site admin)."""
    query = (
        select(Notice, MailingList.name, Message.message_id_hash)
        .join(NoticeList, NoticeList.notice_id == Notice.id)
        .join(MailingList, MailingList.id == NoticeList.list_id)
        .join(
            Message,
            (Message.list_id == MailingList.id) & (Message.message_id == Notice.message_id),
        )
        .order_by(Notice.id.desc(), MailingList.name)
    )
    if not account.is_admin:
        mine = (
            select(Member.list_id)
            .join(Address, Address.id == Member.address_id)
            .where(Address.email == account.email.lower())
        )
        query = query.where(NoticeList.list_id.in_(mine))
    entries: dict[int, NoticeEntry] = {}
    for notice, list_name, message_hash in session.execute(query):
        if notice.id not in entries and len(entries) < limit:
            actions = notice_actions(session, settings, notice, account)
            entries[notice.id] = NoticeEntry(notice, actions, list_name, message_hash)
    return list(entries.values())
