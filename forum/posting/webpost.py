"""A post written on the web becomes a real RFC 5322 message, then takes the mail path."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from archive.models import MailingList, Message
from archive.sanitize import markdown_to_html
from forum.mail.header_folding import OUTGOING
from forum.settings import Settings

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def check_field(value: str, name: str) -> str:
    """Header-bound form values must be one line: a CR or LF never reaches a header."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"line break in {name}")
    return value.strip()


def render_markdown(text: str) -> str:
    """The HTML part and the preview: Markdown, then the same sanitiser as incoming mail,
    within its budget (over it, the text is shown as plain paragraphs)."""
    return markdown_to_html(text)


WEB_ID_STRING = "web"  # in the Message-ID of every post written on the web
_WEB_MESSAGE_ID = re.compile(r"\d+\.\d+\.\d+\.web@[^@\s]+")  # as make_msgid writes it


def is_web_post(message_id: str) -> bool:
    """Whether the message was written on the web, so its text is Markdown. Told by its
    Message-ID, which costs nothing to read for a whole thread (the raw mail is not loaded)."""
    return _WEB_MESSAGE_ID.fullmatch(message_id) is not None


def build_web_post(
    settings: Settings,
    mlist: MailingList,
    author: tuple[str, str],
    subject: str,
    text: str,
    parent: Message | None = None,
    uploads: Sequence[Upload] = (),
) -> bytes:
    name, email = check_field(author[0], "name"), check_field(author[1], "address")
    message = EmailMessage(policy=OUTGOING)
    message["From"] = formataddr((name, email))
    message["To"] = mlist.posting_address
    message["Subject"] = check_field(subject, "subject") or "(no subject)"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=WEB_ID_STRING, domain=settings.domain)
    if parent is not None:
        chain = [*parent.references.split(), parent.message_id]
        message["In-Reply-To"] = f"<{parent.message_id}>"
        message["References"] = " ".join(f"<{i}>" for i in chain[-20:])
    message["X-Forum-Web-Post"] = "yes"
    message.set_content(text.replace("\r\n", "\n"), charset="utf-8")
    message.add_alternative(render_markdown(text), subtype="html", charset="utf-8")
    for upload in uploads:
        maintype, _, subtype = upload.content_type.partition("/")
        message.add_attachment(
            upload.data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=check_field(upload.filename, "file name"),
        )
    return message.as_bytes()


def reply_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"
