"""Bounces as pure data: VERP return paths, flufl.bounce's heuristics over reports, spotting
automatic mail, and the decaying bounce score. No Flask and no database here."""

from __future__ import annotations

import email
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import Compat32

from flufl.bounce import all_failures

from archive.headers import lenient_parseaddr
from forum.mail.delivery_reports import ADDRESS, Outcome

_END_OF_HEADERS = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(r"\r?\n(?=[ \t])")

# A member's bounces count once per this interval: "once a day", with room for a mailbox that
# bounces the daily post a little earlier each day.
BOUNCE_INTERVAL = timedelta(hours=20)
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_SUPPRESS_MEANS_AUTOMATIC = frozenset({"all", "oof"})
_ROBOT_SENDER = re.compile(r"mailer[-_ ]?daemon|post[-_ ]?master|no[-_ ]?reply", re.IGNORECASE)


class _TextHeaders(Compat32):
    """compat32, except that a header holding raw 8-bit bytes reads back as text, not as an
    email.header.Header: flufl.bounce's detectors call str methods on header values."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return _text(value)


def _text(value: str) -> str:
    """A header value that the bytes parser kept with surrogates for 8-bit bytes, as UTF-8."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


PARSE_POLICY = _TextHeaders()


def verp_sender(list_name: str, list_domain: str, recipient: str) -> str:
    """The envelope sender for one recipient, Mailman style: thpt-bounces+user=host@domain.

    A bounce to it names the recipient even when the report itself names nobody."""
    local, at, domain = recipient.rpartition("@")
    if not (local and at and domain):
        raise ValueError(f"not an address: {recipient!r}")
    return f"{list_name}-bounces+{local}={domain}@{list_domain}"


def verp_recipient(local_part: str, list_name: str) -> str | None:
    """The recipient encoded in a VERP bounce address's local part, or None if it is not one."""
    prefix = f"{list_name}-bounces+"
    if local_part[: len(prefix)].casefold() != prefix.casefold():
        return None
    # A domain never holds "=", so the last one separates it from a local part that may.
    local, equals, domain = local_part[len(prefix) :].rpartition("=")
    if not (local and equals and domain) or "@" in domain:
        return None
    return f"{local}@{domain}"


@dataclass(frozen=True, slots=True)
class BounceReport:
    """Who a delivery report says failed: temporarily (delayed) or for good."""

    temporary: frozenset[str]  # lowercased addresses
    permanent: frozenset[str]


_NO_BOUNCE = BounceReport(temporary=frozenset(), permanent=frozenset())


def detect_bounce(raw: bytes) -> BounceReport:
    """The addresses a bounce reports as failing; an empty report for anything else.

    Parsed with compat32 because policy.default crashes on some real bounces."""
    try:
        temporary, permanent = all_failures(
            with_a_from(email.message_from_bytes(raw, policy=PARSE_POLICY))
        )
    # flufl.bounce's detectors are heuristics run over hostile input, and a crash in one of
    # them only means that this message is not a bounce we can read.
    except Exception:
        return _NO_BOUNCE
    failed = _addresses(permanent)
    # An address a report lists both as delayed and as failed has failed.
    return BounceReport(temporary=_addresses(temporary) - failed, permanent=failed)


def with_a_from(message: Message) -> Message:
    """The message, given From: <> if it has no sender (flufl.bounce's detectors need one)."""
    if not message.get("from", "").strip():
        # flufl.bounce 6.0's Yale detector takes getaddresses(From)[0], and since gh-102988
        # Python's getaddresses gives [] for no From: the IndexError would end the scan before
        # the Postfix, qmail and other detectors run. "<>" is one empty address, which every
        # detector passes over.
        del message["from"]
        message["From"] = "<>"
    return message


def _addresses(found: Iterable[bytes]) -> frozenset[str]:
    addresses = set()
    for item in found:
        try:
            text = item.decode("utf-8")
        except UnicodeDecodeError:
            continue  # no member's address is stored in a broken encoding
        address = text.strip().strip("<>").strip().lower()
        if ADDRESS.fullmatch(address):
            addresses.add(address)
    return frozenset(addresses)


def header_map(raw: bytes) -> dict[str, str]:
    """The header block only: lowercased names, unfolded values, first occurrence wins."""
    head = _END_OF_HEADERS.split(raw, maxsplit=1)[0]
    message = BytesHeaderParser(policy=PARSE_POLICY).parsebytes(head)
    headers: dict[str, str] = {}
    for name, value in message.raw_items():
        headers.setdefault(name.lower(), _FOLD.sub("", _text(value)).strip())
    return headers


def is_auto_generated(raw_headers: Mapping[str, str]) -> bool:
    """Whether the headers mark the message as sent by a program (RFC 3834, and common practice).

    An empty envelope sender (Return-Path: <>) is for the caller, who knows the envelope."""
    headers: dict[str, str] = {}
    for name, value in raw_headers.items():
        headers.setdefault(name.lower(), value)

    def token(name: str) -> str:
        return headers.get(name, "").split(";", 1)[0].strip().lower()

    if token("auto-submitted") not in ("", "no"):
        return True
    # "auto_reply" is not in any RFC, but vacation programs send it.
    if token("precedence") in _BULK_PRECEDENCE:
        return True
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return True
    suppress = headers.get("x-auto-response-suppress", "").lower().replace(",", " ").split()
    if _SUPPRESS_MEANS_AUTOMATIC.intersection(suppress):
        return True
    if token("content-type") == "multipart/report":
        return True
    return _from_a_robot(headers.get("from", ""))


def _from_a_robot(sender: str) -> bool:
    """From MAILER-DAEMON@, postmaster@ or no-reply@, bare or by name ("Mailer Daemon <x@y>"),
    or from the null sender <>."""
    name, address = lenient_parseaddr(sender)
    if not address and "<>" in sender:
        return True  # only programs write the null sender into From
    local = address.rpartition("@")[0] or address
    return any(_ROBOT_SENDER.fullmatch(part.strip()) for part in (local, name))


def decayed_score(
    score: float, last_bounce: datetime | None, now: datetime, half_life_days: float = 7.0
) -> float:
    """The bounce score as it stands now: it halves every half_life_days since the last bounce."""
    if half_life_days <= 0:
        raise ValueError("half_life_days must be positive")
    if last_bounce is None:
        return score
    elapsed_days = (now - last_bounce).total_seconds() / 86_400
    # A last bounce "in the future" (clock skew between workers) does not grow the score.
    return score * math.pow(0.5, max(elapsed_days, 0.0) / half_life_days)


# What one report adds to a member's score. Only a permanent failure counts in full. A message
# returned for a cause that may pass (a full mailbox, a host down for days: Status 4.x.x) is
# half of one, Mailman 2.1's "soft bounce". A delay warning (the server is still trying), a
# delivery confirmation, a complaint or an automatic reply adds nothing.
BOUNCE_WEIGHTS = {
    Outcome.FAILED: 1.0,
    Outcome.TEMPORARY: 0.5,
    Outcome.DELAYED: 0.0,
    Outcome.DELIVERED: 0.0,
}


def bounce_weight(outcome: Outcome) -> float:
    """How much one report about a recipient adds to the score."""
    return BOUNCE_WEIGHTS[outcome]
