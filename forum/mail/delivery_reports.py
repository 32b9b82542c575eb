"""Reading delivery status notifications (RFC 3464): who each report is about, what happened to
them (Action) and why (Status), from the report's own part or, failing that, from its text."""

from __future__ import annotations

import base64
import binascii
import json
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.header import decode_header
from email.message import Message
from enum import StrEnum

# A local part with no space, brackets or separators, and a domain of letter-or-digit labels.
# Loose on purpose (anonymised reports such as "david...@gmail.com" pass, and so do
# internationalised addresses) but it drops pipe commands, JSON fragments and "@host".
# Control characters and lone surrogates (from a hostile \x{...} or xtext escape) never pass: a
# NUL is not even a valid PostgreSQL string.
ADDRESS = re.compile(
    r'[^\s@<>()\[\]\\,;:"\x00-\x1f\x7f\ud800-\udfff]+'
    r"@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*"
)
_FIELD = re.compile(r"([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)")
_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
_SMTP_REPLY = re.compile(r"\b([245])\d\d\b")
_UTF8_ESCAPE = re.compile(r"\\x\{([0-9A-Fa-f]{1,6})\}")  # RFC 6533's utf-8-addr-xtext
_XTEXT = re.compile(r"\+([0-9A-F]{2})")  # RFC 3461's xtext, as an ORCPT is written


class Outcome(StrEnum):
    """What a report says happened to one recipient, worst first."""

    FAILED = "failed"  # given up for good (Action: failed, Status 5.x.x)
    TEMPORARY = "temporary"  # given up, but for a cause that may pass (Status 4.x.x)
    DELAYED = "delayed"  # still being tried
    DELIVERED = "delivered"  # delivered, relayed or expanded: nothing went wrong


@dataclass(frozen=True, slots=True)
class RecipientStatus:
    """One per-recipient block of a report: the address the sender used (Original-Recipient,
    else Final-Recipient), the one it finally failed at (after forwarding), and the outcome."""

    address: str
    outcome: Outcome
    final: str = ""  # Final-Recipient, when it differs from the address the sender used
    status: str = ""  # the enhanced status code, e.g. "5.1.1", when the report gives one

    def names(self, address: str) -> bool:
        return address.lower() in (self.address, self.final)


def report_parts(message: Message) -> Iterator[Message]:
    """The message/delivery-status parts (RFC 6533's message/global-delivery-status too)."""
    for part in message.walk():
        if part.get_content_type() in ("message/delivery-status", "message/global-delivery-status"):
            yield part


def recipients_in_parts(message: Message) -> tuple[RecipientStatus, ...]:
    """Each recipient block of each delivery-status part, as the report's author wrote it."""
    found: list[RecipientStatus] = []
    for part in report_parts(message):
        payload = part.get_payload()
        encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
        if isinstance(payload, list) and encoding not in ("base64", "quoted-printable"):
            blocks = [_fields_of_headers(block) for block in payload if isinstance(block, Message)]
        else:
            # Encoded (the parser split the encoded text as if it were fields), or kept as text.
            blocks = list(field_blocks(_decoded_text(part)))
        found.extend(r for r in map(recipient_of, blocks) if r is not None)
    return tuple(found)


def recipients_in_text(text: str) -> tuple[RecipientStatus, ...]:
    """The fallback: DSN fields written anywhere in the text (quoted in a text/plain part, or a
    delivery-status part that broken MIME left inside another part)."""
    return tuple(r for r in map(recipient_of, field_blocks(text)) if r is not None)


def recipients_in_ses_json(text: str) -> tuple[RecipientStatus, ...]:
    """Amazon SES notifications mailed by SNS: a JSON document, sometimes wrapped in another
    whose "Message" holds it as a string. Anything shaped otherwise names nobody."""
    start = text.find("{")
    if start < 0 or '"notificationType"' not in text.replace('\\"', '"'):
        return ()
    try:
        document = _object(json.JSONDecoder().raw_decode(text[start:])[0])
        inner = document.get("Message")
        if isinstance(inner, str):
            document = _object(json.loads(inner))
    except (ValueError, RecursionError):
        return ()
    kind = str(document.get("notificationType", "")).lower()
    if kind == "delivery":
        delivered = _object(document.get("delivery")).get("recipients")
        addresses = [clean_address(str(a)) for a in _list(delivered)]
        return tuple(RecipientStatus(a, Outcome.DELIVERED) for a in addresses if a)
    if kind != "bounce":
        return ()
    bounce = _object(document.get("bounce"))
    default = "5" if bounce.get("bounceType") == "Permanent" else "4"
    found = []
    for entry in map(_object, _list(bounce.get("bouncedRecipients"))):
        address = clean_address(str(entry.get("emailAddress", "")))
        status = str(entry.get("status") or default)
        if address:
            outcome = outcome_of(str(entry.get("action") or "failed"), status)
            found.append(RecipientStatus(address, outcome, "", status if "." in status else ""))
    return tuple(found)


def _object(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _fields_of_headers(block: Message) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in block.items():
        fields.setdefault(name.lower(), " ".join(str(value).split()))
    return fields


def field_blocks(text: str) -> Iterator[dict[str, str]]:
    """Groups of "Name: value" lines (folded lines joined) separated by anything else."""
    fields: dict[str, str] = {}
    last = ""
    for line in text.splitlines():
        match = _FIELD.fullmatch(line.strip())
        if line[:1] in (" ", "\t") and last and not match:
            fields[last] += " " + line.strip()
        elif match:
            last = match.group(1).lower()
            fields.setdefault(last, match.group(2).strip())
        else:
            if fields:
                yield fields
            fields, last = {}, ""
    if fields:
        yield fields


def recipient_of(fields: dict[str, str]) -> RecipientStatus | None:
    """A recipient block's address and outcome; None for a block that names nobody."""
    original = decode_address(fields.get("original-recipient", ""))
    # Sendmail's X-Actual-Recipient is where an alias led, like Final-Recipient after a forward.
    final = decode_address(fields.get("final-recipient", ""))
    actual = decode_address(fields.get("x-actual-recipient", ""))
    if actual and not original:
        original, final = final, actual
    # The address we sent to is the one we know the member by: a forwarding mailbox's report
    # names the forwarded-to address in Final-Recipient.
    address = original or final
    if not address:
        return None
    status = _STATUS.search(fields.get("status", ""))
    code = status.group(0) if status else ""
    outcome = outcome_of(fields.get("action", ""), code, fields.get("diagnostic-code", ""))
    return RecipientStatus(address, outcome, final if final != address else "", code)


def outcome_of(action: str, status: str, diagnostic: str = "") -> Outcome:
    """RFC 3464's Action, read with its Status class: a "failed" with a 4.x.x status means the
    server gave up on a cause that may pass (a full mailbox, a host down for days)."""
    action = action.strip().lower()
    klass = status[:1] or _reply_class(diagnostic)
    if action.startswith(("delivered", "relayed", "expanded")):
        return Outcome.DELIVERED
    if action.startswith("delayed"):
        return Outcome.DELAYED
    if action.startswith(("failed", "error")):  # OpenSMTPD writes "Action: error"
        return Outcome.TEMPORARY if klass == "4" else Outcome.FAILED
    # No Action (or an unknown one): the Status class decides.
    return {"2": Outcome.DELIVERED, "4": Outcome.DELAYED}.get(klass, Outcome.FAILED)


def _reply_class(diagnostic: str) -> str:
    # "smtp; 550 5.1.1 <x@y>: unknown user": the enhanced code, else the SMTP reply code.
    found = _STATUS.search(diagnostic) or _SMTP_REPLY.search(diagnostic)
    return found.group(1) if found else ""


def decode_address(value: str) -> str:
    """The address in a recipient field ("rfc822; <a@b>", "utf-8; a\\x{E1}@b", RFC 2047 words,
    or a bare address), lowercased; "" when there is none."""
    value = decoded_words(value.strip())
    kind, semicolon, address = value.partition(";")
    if not semicolon:
        kind, address = "rfc822", kind
    kind = kind.strip().lower()
    if kind == "utf-8":
        address = _UTF8_ESCAPE.sub(lambda m: _code_point(m.group(1)), address)
    elif "+" in address:
        address = _XTEXT.sub(lambda m: chr(int(m.group(1), 16)), address)
    return clean_address(address)


def clean_address(text: str) -> str:
    """One address from a field or a detector: brackets, quotes and mailto: removed."""
    text = text.strip().strip("<>\"' .,;").strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    text = text.strip("<>").strip().lower()
    return text if ADDRESS.fullmatch(text) else ""


def _code_point(hex_digits: str) -> str:
    number = int(hex_digits, 16)
    # Beyond Unicode: a NUL, which ADDRESS refuses, so the whole address is dropped.
    return chr(number) if number <= 0x10FFFF else "\x00"


def decoded_words(value: str) -> str:
    """RFC 2047 encoded words ("=?utf-8?b?...?=") decoded; undecodable text kept as it is."""
    if "=?" not in value:
        return value
    try:
        pieces = decode_header(value)
    except (ValueError, LookupError, UnicodeError):
        return value
    text = []
    for piece, charset in pieces:
        if isinstance(piece, str):
            text.append(piece)
            continue
        try:
            text.append(piece.decode(charset or "utf-8", "replace"))
        except LookupError:
            text.append(piece.decode("utf-8", "replace"))
    return "".join(text)


def _decoded_text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):
        payload = "\n".join(block.as_string() for block in payload if isinstance(block, Message))
    if not isinstance(payload, str):
        return ""
    raw = payload.encode("utf-8", "surrogateescape")
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    try:
        if encoding == "base64":
            raw = base64.b64decode(raw)
        elif encoding == "quoted-printable":
            raw = quopri.decodestring(raw)
    except (binascii.Error, ValueError):
        pass  # read what is there as text
    return raw.decode("utf-8", "replace")
