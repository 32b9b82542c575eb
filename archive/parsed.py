"""Values produced by parsing one message: what the rest of the system reads instead of MIME."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from archive.dates import DateSource


@dataclass(frozen=True, slots=True)
class ParsedAttachment:
    filename: str  # decoded, NFC, never empty (a safe name is made up when missing)
    content_type: str  # lowercased "type/subtype"
    size: int
    sha256: str  # hex digest of data
    data: bytes


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    message_id: str  # without angle brackets; synthetic when the mail has none
    message_id_hash: str  # HyperKitty-compatible: base32(sha1(message_id))
    synthetic_id: bool
    in_reply_to: str | None
    references: tuple[str, ...]  # oldest first, without the message's own id
    subject: str  # decoded, NFC, whitespace collapsed
    from_name: str
    from_email: str  # lowercased domain; "" when there is no usable From
    date: datetime | None  # aware UTC; None when no header or stamp gives a usable one
    date_source: DateSource  # where `date` came from (ARRIVAL when it is None)
    text: str  # best plain-text body, NFC
    html: str | None  # sanitised HTML body when the mail had one
    attachments: tuple[ParsedAttachment, ...]
    defects: tuple[str, ...]  # human-readable notes on what was wrong with the input
    flagged: bool  # True when the input could not be parsed as mail at all


Parsed = list[tuple[ParsedMessage, bytes]]  # parsed messages, each with its raw bytes
