"""Posting from the web: the form's fields become a real message that takes the same path as
mail, processed in the request so the author sees at once whether it went out or waits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from archive.models import MailingList, Message
from forum.lists.senders import is_accepted
from forum.mail.compose import MAX_ATTACHMENT_BYTES, Upload, build_web_post
from forum.mail.dmarc import DmarcCache
from forum.mail.inbound import submit
from forum.models import InboundState
from forum.notices.tags import with_notice_tag
from forum.posting.pipeline import process_submitted
from forum.settings import Settings


class WebPostError(ValueError):
    """A web post that cannot be sent as it is; the message is for the form."""


@dataclass(frozen=True, slots=True)
class WebPost:
    subject: str
    text: str
    uploads: Sequence[Upload] = ()
    notice_kind: str = ""  # reply / invitation / report: only announcers' count
    deadline: str = ""  # YYYY-MM-DD


def send_web_post(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    author: tuple[str, str],
    post: WebPost,
    parent: Message | None,
    dmarc: DmarcCache | None,
) -> InboundState | None:
    """Build, queue and process the post; raises WebPostError (for the form) or ValueError
    (a line break in a header field: a forged request)."""
    if not post.text.strip() or any(len(u.data) > MAX_ATTACHMENT_BYTES for u in post.uploads):
        raise WebPostError(_l("Write something, and keep each attachment under 10 MB."))
    subject = post.subject
    if is_accepted(session, mlist, author[1]):  # others' tags would mean nothing
        subject = with_notice_tag(subject, post.notice_kind, post.deadline)
    raw = build_web_post(settings, mlist, author, subject, post.text, parent, post.uploads)
    submitted = submit(session, raw, author[1], [mlist.posting_address])
    return process_submitted(session, settings, submitted, dmarc)
