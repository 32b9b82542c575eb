"""Reading abuse feedback reports (ARF, RFC 5965): a mailbox provider telling the sender that a
recipient marked its mail as spam. Who complained, and about what kind of abuse."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from forum.mail.delivery_reports import clean_address, field_blocks
from forum.mail.report_quotes import returned_headers

# Hotmail's older feedback loop (JMRP) sends the complained-about message in multipart/mixed,
# with the recipient in this header of the attached copy.
_HOTMAIL_RECIPIENT = "x-hmxmroriginalrecipient"
_HOTMAIL_SUBJECT = re.compile(r"complaint about message from", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Complaint:
    """One feedback report: its type (abuse, fraud, virus, other...), the recipients it names and
    the envelope sender of the message complained about (a VERP address names the member)."""

    feedback_type: str
    recipients: tuple[str, ...]
    original_mail_from: str


def read_complaint(message: Message) -> Complaint | None:
    """The complaint in an ARF report (or Hotmail's older format); None for any other mail."""
    fields = _feedback_fields(message)
    if fields is None:
        return _hotmail_complaint(message)
    recipients = [
        *_addresses(fields.get("original-rcpt-to", [])),
        *_addresses(fields.get("removed-recipient", [])),
    ]
    original = returned_headers(message)
    if not recipients and original is not None:
        recipients = _addresses(original.get_all("to", []))
    mail_from = _addresses(fields.get("original-mail-from", []))
    if not mail_from and original is not None:
        mail_from = _addresses(original.get_all("return-path", []))
    kind = (fields.get("feedback-type") or ["abuse"])[0].strip().lower() or "abuse"
    return Complaint(kind, tuple(dict.fromkeys(recipients)), mail_from[0] if mail_from else "")


def _feedback_fields(message: Message) -> dict[str, list[str]] | None:
    for part in message.walk():
        if part.get_content_type() != "message/feedback-report":
            continue
        fields: dict[str, list[str]] = {}
        payload = part.get_payload()
        if isinstance(payload, list):
            # The parser reads a message/* part as a message: the fields are its headers.
            for block in payload:
                if isinstance(block, Message):
                    for name, value in block.items():
                        fields.setdefault(name.lower(), []).append(str(value))
        elif isinstance(payload, str):
            for block in field_blocks(payload):
                for name, value in block.items():
                    fields.setdefault(name, []).append(value)
        return fields
    if message.get_param("report-type", "", header="content-type") == "feedback-report":
        return {}  # declared a feedback report, but its fields are unreadable
    return None


def _hotmail_complaint(message: Message) -> Complaint | None:
    if not _HOTMAIL_SUBJECT.search(str(message.get("subject", ""))):
        return None
    original = returned_headers(message)
    if original is None or original.get(_HOTMAIL_RECIPIENT) is None:
        return None
    recipients = _addresses(original.get_all(_HOTMAIL_RECIPIENT, []))
    return Complaint("abuse", tuple(recipients), "")


def _addresses(values: list[str]) -> list[str]:
    found = []
    for value in values:
        for piece in str(value).replace(",", " ").split():
            address = clean_address(piece)
            if address:
                found.append(address)
    return found
