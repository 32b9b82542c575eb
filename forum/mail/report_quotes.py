"""What a report quotes besides its failed recipients (Message-IDs, the returned message's
sender, the report's own addressee), so that no reader mistakes one of those for a failure."""

from __future__ import annotations

import email
import re
from collections.abc import Callable, Mapping
from email.message import Message

from forum.mail.bounces import PARSE_POLICY
from forum.mail.delivery_reports import clean_address, decoded_words

# Message-IDs that reports quote (of the bounce, of the original, in the human-readable text):
# heuristic detectors sometimes hand one back as the "failed address".
_MESSAGE_ID = re.compile(
    r"(?:message-id|in-reply-to|references|envelope-id|x-ms-exchange-[\w-]*id)[\"']?\s*[:=]?"
    r"\s*(?:of\s+)?((?:<[^<>\s]+>\s*)+|[^\s<>]+@[^\s<>]+)",
    re.IGNORECASE,
)
# "your message <id@host> could not be delivered": an id named in the prose.
_MESSAGE_NAMED = re.compile(r"\bmessage\s+<([^<>\s]+@[^<>\s]+)>", re.IGNORECASE)
_BRACKETED = re.compile(r"<([^<>\s]+)>")
_LOOSE_ADDRESS = re.compile(r"[\w.+=-]+@[\w.-]+")


def message_ids_and_ours(raw: bytes, ours: Callable[[str], bool]) -> frozenset[str]:
    """Message-IDs anywhere in the report, and every address of the site's own it mentions."""
    text = raw.decode("utf-8", "replace")
    quoted: set[str] = set()
    for match in _MESSAGE_ID.finditer(text):
        value = match.group(1)
        quoted.update(p.lower() for p in (_BRACKETED.findall(value) or [value]))
    quoted.update(found.lower() for found in _MESSAGE_NAMED.findall(text))
    quoted.update(a for a in set(_LOOSE_ADDRESS.findall(text.lower())) if ours(a))
    return frozenset(quoted)


def returned_headers(message: Message) -> Message | None:
    """The headers of the message a report is about (message/rfc822 or text/rfc822-headers)."""
    return next((h for h in map(_returned_headers, message.walk()) if h is not None), None)


def original_senders(message: Message) -> frozenset[str]:
    """Who sent the returned message (From, Sender, Return-Path of the copy a report attaches)."""
    senders: set[str] = set()
    for part in message.walk():
        headers = _returned_headers(part)
        if headers is None:
            continue
        for name in ("from", "sender", "return-path"):
            for value in headers.get_all(name, []):
                address = clean_address(decoded_words(str(value)).rpartition("<")[2])
                if address:
                    senders.add(address)
    return frozenset(senders)


def addressed_to(headers: Mapping[str, str]) -> frozenset[str]:
    """The report's own To: the sender it went back to."""
    # A regex, not getaddresses: that one recurses once per group and hostile headers nest deep.
    found = (clean_address(a) for a in _LOOSE_ADDRESS.findall(headers.get("to", "").lower()))
    return frozenset(a for a in found if a)


def _returned_headers(part: Message) -> Message | None:
    kind = part.get_content_type()
    if kind == "message/rfc822":
        payload = part.get_payload()
        first = payload[0] if isinstance(payload, list) and payload else None
        return first if isinstance(first, Message) else None
    if kind == "text/rfc822-headers":
        text = part.get_payload(decode=True)
        if isinstance(text, bytes):
            return email.message_from_bytes(text, policy=PARSE_POLICY)
    return None
