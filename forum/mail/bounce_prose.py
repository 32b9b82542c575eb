"""Reading what a non-delivery notice says in words, for the many mail servers that send no
RFC 3464 part: which addresses it lists as failed, and whether it gave up or is still trying."""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.message import Message

from forum.mail.delivery_reports import Outcome, RecipientStatus, clean_address

# Where the notice stops and the returned message (or its headers) begins.
_RETURNED = re.compile(
    r"^\s*[-=*_#>]*\s*(?:original message|returned message|unsent message|original mail"
    r"|(?:a )?copy of the (?:original )?message|below this line is a copy|message headers follow"
    r"|original message headers|header of the source mail|the original message follows"
    r"|bounced e-?mail|forwarded message|included message"
    r"|this is a copy of the message)",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(r"^(?:Received|Return-Path|DKIM-Signature|Message-ID): ", re.IGNORECASE)
_CANDIDATE = re.compile(
    r"[A-Za-z0-9.!#$%&'*+=?^_`{}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_SENDER_CONTEXT = re.compile(
    r"(?:\bfrom|sender|reply-to|return-path|envelope-from|originator)\W*$", re.IGNORECASE
)
_FAILURE_WORDS = re.compile(
    r"fail|unknown|not (?:found|exist|listed|deliver|reach|accept)|no such|invalid|reject|refus"
    r"|denied|unavailable|disabled|undeliver|could ?n[o']t|unable|error|full|quota|recipient"
    r"|deliver|rcpt|user|mailbox|account|address|expired|timed? ?out|(?<![\d.])[45]\d\d(?![\d.])",
    re.IGNORECASE,
)
# Only failure codes: a "250" in a transcript says nothing about the recipient's outcome.
_ENHANCED_STATUS = re.compile(r"(?<![\d.])([45])\.\d{1,3}\.\d{1,3}(?!\.?\d)")
_REPLY_CODE = re.compile(r"(?<![\d.#])([45])\d\d(?![\d.])")
_STILL_TRYING = re.compile(
    r"warning|delayed|will (?:be )?retr|will (?:continue|keep) (?:to )?try|still (?:trying|being)"
    r"|not yet been delivered|has not been delivered yet|no action is required",
    re.IGNORECASE,
)
_GAVE_UP_ON_RETRIES = re.compile(
    r"after (?:multiple |several |\d+ )?(?:retries|attempts)|retry timeout|expired"
    r"|could not (?:be )?deliver(?:ed)? for|cannot send message for|for the last \d+ seconds"
    r"|too long|timed out",
    re.IGNORECASE,
)
_PERMANENT = re.compile(r"permanent|does not exist|no such|unknown user|user unknown", re.I)
_ROBOT_LOCAL = re.compile(r"mailer-?daemon|post-?master|no-?reply|abuse|root", re.IGNORECASE)


def notice_text(message: Message) -> str:
    """The human-readable explanation: the text before the returned message or its report."""
    pieces: list[str] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("message/rfc822", "text/rfc822-headers", "message/delivery-status"):
            break
        if kind != "text/plain" and not _unparsed(part):
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            pieces.append(_decode(payload, part.get_content_charset()))
    text = "\n".join(pieces)
    if text.lstrip().startswith("{"):
        return ""  # a machine's JSON document (SES, SNS) is not prose to read addresses from
    lines: list[str] = []
    for line in text.splitlines():
        if _RETURNED.match(line) or _HEADER_LINE.match(line):
            break
        lines.append(line)
    return "\n".join(lines)[:20_000]


def recipients_in_prose(text: str, junk: frozenset[str]) -> tuple[RecipientStatus, ...]:
    """The addresses a notice lists as failing, each with what its own lines say."""
    listed = list(_listed_addresses(text.splitlines(), junk))
    outcomes: dict[str, list[Outcome]] = {}
    for index, (address, start) in enumerate(listed):
        end = next((s for a, s in listed[index + 1 :] if a != address), len(text))
        outcomes.setdefault(address, []).append(outcome_in(text[start:end], text))
    # An address listed more than once has the worst of what its lines say.
    order = list(Outcome)
    return tuple(
        RecipientStatus(address, min(found, key=order.index)) for address, found in outcomes.items()
    )


def outcome_in(segment: str, notice: str) -> Outcome:
    """What a notice says about one recipient: its status code first, then its words."""
    code = _ENHANCED_STATUS.search(segment) or _REPLY_CODE.search(segment)
    if code is not None:
        if code.group(1) == "5":
            return Outcome.FAILED
        return Outcome.DELAYED if _still_trying(notice) else Outcome.TEMPORARY
    if _still_trying(notice):
        return Outcome.DELAYED
    if _GAVE_UP_ON_RETRIES.search(segment) and not _PERMANENT.search(segment):
        return Outcome.TEMPORARY
    return Outcome.FAILED


def refine(found: Iterable[RecipientStatus], text: str) -> tuple[RecipientStatus, ...]:
    """Heuristic findings given the class their own lines state (a 4.x.x code, giving up after
    retries): flufl.bounce calls every failure permanent."""
    refined = []
    for recipient in found:
        outcome = recipient.outcome
        start = text.lower().find(recipient.address)
        if outcome is Outcome.FAILED and start >= 0:
            outcome = outcome_in(text[start : start + 600], text)
        refined.append(RecipientStatus(recipient.address, outcome, recipient.final))
    return tuple(refined)


def _unparsed(part: Message) -> bool:
    """A multipart whose boundary never appears: the parser keeps its body as text."""
    return part.get_content_maintype() == "multipart" and isinstance(part.get_payload(), str)


def _still_trying(notice: str) -> bool:
    return bool(_STILL_TRYING.search(notice)) and not _PERMANENT.search(notice)


def _listed_addresses(lines: list[str], junk: frozenset[str]) -> Iterable[tuple[str, int]]:
    offset = 0
    for line in lines:
        for match in _CANDIDATE.finditer(line):
            address = clean_address(match.group(0))
            before, after = line[: match.start()], line[match.end() :]
            if _kept(address, before, after, junk):
                yield address, offset + match.start()
        offset += len(line) + 1


def _kept(address: str, before: str, after: str, junk: frozenset[str]) -> bool:
    if not address or address in junk or "/" in address or "|" in address:
        return False
    if _ROBOT_LOCAL.fullmatch(address.partition("@")[0]):
        return False
    if _SENDER_CONTEXT.search(before.rstrip(" <\"'")):
        return False
    rest = _CANDIDATE.sub("", before + " " + after).strip(" \t<>:;,.*-()[]\"'")
    # Listed alone on its line, or with words about a failed delivery.
    return not rest or bool(_FAILURE_WORDS.search(rest))


def _decode(payload: bytes, charset: str | None) -> str:
    try:
        return payload.decode(charset or "utf-8", "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")
