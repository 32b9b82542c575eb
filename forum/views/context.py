"""What the archive pages show besides the mail itself, looked up by the views (templates run
no queries): the reader's membership and role, a notice's badge, a delivery-status link."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from archive.models import MailingList, Message
from forum.accounts.accounts import current_account
from forum.drafting.models import DraftDocument, DraftTarget
from forum.extensions import session
from forum.lists.access import managing_role
from forum.lists.members import find_member
from forum.models import OutgoingMessage
from forum.notices.access import notice_actions
from forum.notices.models import Notice
from forum.topics.choices import choice_of


def reader_of(mlist: MailingList) -> dict[str, object]:
    """`member` (the reader's membership, if any) and `role` (their part in running it)."""
    account = current_account()
    member = find_member(session(), mlist, account.email) if account else None
    return {"member": member, "role": managing_role(session(), mlist, account)}


def notice_of(message_id: str | None) -> dict[str, object]:
    """`notice` (the notice a message is, if any) and `notice_can` (what the reader may do)."""
    if not message_id:
        return {"notice": None, "notice_can": None}
    notice = session().scalar(select(Notice).where(Notice.message_id == message_id))
    if notice is None:
        return {"notice": None, "notice_can": None}
    can = notice_actions(session(), current_app.config["FORUM"], notice, current_account())
    return {"notice": notice, "notice_can": can}


def thread_marks(roots: dict[int, Message]) -> dict[str, object]:
    """`notices` ({thread id: the notice its first message is}) and `drafts` ({thread id: the
    draft it announces}), so a list of threads can mark them."""
    by_message_id = {m.message_id: thread_id for thread_id, m in roots.items()}
    if not by_message_id:
        return {"notices": {}, "drafts": {}}
    found = session().scalars(select(Notice).where(Notice.message_id.in_(by_message_id)))
    notices = {by_message_id[n.message_id]: n for n in found}
    announced = session().execute(
        select(DraftTarget.message_id, DraftDocument)
        .join(DraftDocument, DraftDocument.id == DraftTarget.draft_id)
        .where(DraftTarget.message_id.in_(by_message_id))
    )
    drafts = {by_message_id[message_id]: draft for message_id, draft in announced}
    return {"notices": notices, "drafts": drafts}


def delivery_status_of(mlist: MailingList, message: Message) -> int | None:
    """The outgoing copy's id, for those who run the list (its delivery-status link)."""
    if not managing_role(session(), mlist, current_account()):
        return None
    return session().scalar(
        select(OutgoingMessage.id).where(OutgoingMessage.archived_id == message.id).limit(1)
    )


def topic_of(mlist: MailingList, thread_id: int) -> dict[str, object] | None:
    """For a signed-in member of the list: their choice about the thread ("mute", "follow"
    or None) under `choice`; None for anyone else (no buttons)."""
    account = current_account()
    if account is None or find_member(session(), mlist, account.email) is None:
        return None
    return {"choice": choice_of(session(), thread_id, account.email)}
