"""How notices plug into the post path: a focal point's reply acknowledges (and "đã nhận" alone
is not posted), and a tagged post from an announcer becomes a notice whose focal points get an
"acknowledge" paragraph in their copy."""

from __future__ import annotations

from flask_babel import gettext as _

from archive.own_text import own_text
from forum.hooks import Arrived, Extras, Stored
from forum.lists.senders import is_accepted
from forum.mail.automail import bilingual
from forum.notices.notices import (
    ack_url,
    acknowledge,
    focal_addresses,
    is_focal_point_of,
    notice_replied_to,
    register,
)
from forum.notices.receipts import send_receipt
from forum.notices.tags import is_acknowledgement_only, parse_notice_tag
from forum.settings import Settings


def acknowledging_reply(post: Arrived) -> str | None:
    """A focal point's reply to a notice acknowledges it; "đã nhận" alone goes no further."""
    parsed = post.parsed
    replied = [i for i in (parsed.in_reply_to, *parsed.references) if i]
    notice = notice_replied_to(post.session, replied)
    if (
        notice is None
        or not post.sender
        or not is_focal_point_of(post.session, notice, post.sender)
    ):
        return None
    if acknowledge(post.session, notice, post.sender, "reply"):
        send_receipt(post.session, post.settings, notice, post.sender)
    if is_acknowledgement_only(own_text(parsed.text)):
        return "acknowledged a notice (an acknowledgement alone is not posted)"
    return None


def notice_from_announcer(post: Stored) -> Extras:
    """A tagged post from an authorised sender is a notice; anyone else's tag is just text."""
    message = post.message
    tag = parse_notice_tag(message.subject)
    if tag is None or not is_accepted(post.session, post.mlist, message.sender_email):
        return Extras()
    notice = register(post.session, post.settings, post.mlist, message, tag)
    focal = focal_addresses(post.session, post.mlist)
    footers = {f.lower(): ack_paragraph(post.settings, notice.id, f) for f in focal}
    always = frozenset(f.lower() for f in focal)  # a notice reaches them, muted or not
    return Extras(footers=footers, always=always, note=f"notice {notice.id}")


def ack_paragraph(settings: Settings, notice_id: int, email: str) -> str:
    url = ack_url(settings, notice_id, email)
    vietnamese, english = bilingual(
        lambda: _(
            "You are the focal point of your unit: please acknowledge this notice: %(url)s "
            '(or reply with "đã nhận").',
            url=url,
        )
    )
    return (
        "\n".join(line for line in (vietnamese, english) if line)
        if english != vietnamese
        else vietnamese
    )
