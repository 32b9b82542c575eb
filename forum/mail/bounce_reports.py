"""What a message to a bounce address is (a delivery report, an abuse complaint, an automatic
reply, a challenge, or unknown), and whom it lets us charge with a bounce. Pure: no database."""

from __future__ import annotations

import email
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import Message
from enum import StrEnum

from forum.mail.auto_replies import is_challenge, is_vacation_reply, looks_like_a_bounce
from forum.mail.bounce_prose import notice_text, recipients_in_prose, refine
from forum.mail.bounces import PARSE_POLICY, detect_bounce, header_map, with_a_from
from forum.mail.delivery_reports import (
    Outcome,
    RecipientStatus,
    decoded_words,
    recipients_in_parts,
    recipients_in_ses_json,
    recipients_in_text,
)
from forum.mail.feedback_reports import Complaint, read_complaint
from forum.mail.report_quotes import addressed_to, message_ids_and_ours, original_senders

# Readers whose findings come from the report's own fields; the others guess from prose.
STRUCTURED = frozenset({"RFC 3464 report", "DSN fields in the text"})


class Kind(StrEnum):
    DELIVERY_REPORT = "delivery-report"  # a DSN or any other non-delivery notice
    COMPLAINT = "complaint"  # an abuse feedback report (ARF)
    AUTO_REPLY = "auto-reply"  # a vacation reply or a read receipt
    CHALLENGE = "challenge"  # a challenge/response filter
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Classification:
    """What the message is; for a delivery report, each recipient it names and what happened."""

    kind: Kind
    how: str  # what recognised it, for the inbound log
    recipients: tuple[RecipientStatus, ...] = ()
    complaint: Complaint | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """Who a message to a bounce address counts against, and why (or why nobody)."""

    charges: tuple[tuple[str, Outcome], ...]
    note: str


@dataclass(frozen=True, slots=True)
class _Mail:
    """One message to a bounce address, parsed once for every reader."""

    message: Message
    headers: dict[str, str]
    subject: str
    raw: bytes
    quoted: frozenset[str]  # Message-IDs and our own addresses: never a failed recipient

    @property
    def like_a_bounce(self) -> bool:
        return looks_like_a_bounce(self.headers, self.subject) or _declares_a_report(self.message)

    def kept(self, found: Iterable[RecipientStatus], guessed: bool) -> tuple[RecipientStatus, ...]:
        """Without what the report merely quotes; a guess from prose also drops the senders."""
        unwanted = self.quoted
        if guessed:
            unwanted |= original_senders(self.message) | addressed_to(self.headers)
        return tuple(r for r in found if r.address not in unwanted)


def classify(raw: bytes, ours: Callable[[str], bool] = lambda _: False) -> Classification:
    """Read a message that came to a bounce address. `ours` says whether an address is one of
    the site's own (a list's posting or bounce address): such an address never failed."""
    headers = header_map(raw)
    mail = _Mail(
        message=with_a_from(email.message_from_bytes(raw, policy=PARSE_POLICY)),
        headers=headers,
        subject=decoded_words(headers.get("subject", "")),
        raw=raw,
        quoted=message_ids_and_ours(raw, ours),
    )
    for reader in _READERS:
        found = reader(mail)
        if found is not None:
            return found
    return Classification(Kind.UNKNOWN, "not a report, a complaint or an automatic reply")


def verdict(report: Classification, verp: str | None) -> Verdict:
    """Whom to charge. A VERP address names the member the copy went to, but anyone can write
    to it: it counts for a delivery report that does not name somebody else, with the outcome
    the report gives (a delay warning or a delivery notice charges nobody)."""
    if report.kind is not Kind.DELIVERY_REPORT:
        return Verdict((), f"{report.kind}: {report.how}")
    if verp is None:
        return Verdict(tuple((r.address, r.outcome) for r in report.recipients), report.how)
    verp = verp.lower()
    about = [r.outcome for r in report.recipients if r.names(verp)]
    if about:
        return Verdict(((verp, _worst(about)),), report.how)
    if report.recipients and report.how in STRUCTURED:
        others = ", ".join(sorted({r.address for r in report.recipients}))
        return Verdict((), f"the report names {others}, not {verp}")
    # A report naming nobody, or prose a heuristic misread: what it says happened, to the VERP.
    overall = _worst([r.outcome for r in report.recipients]) if report.recipients else None
    return Verdict(((verp, overall or Outcome.FAILED),), report.how)


def _worst(outcomes: list[Outcome]) -> Outcome:
    order = list(Outcome)
    return min(outcomes, key=order.index)


def _complaint(mail: _Mail) -> Classification | None:
    complaint = read_complaint(mail.message)
    if complaint is None:
        return None
    how = f"feedback report ({complaint.feedback_type})"
    return Classification(Kind.COMPLAINT, how, complaint=complaint)


def _delivery_status_part(mail: _Mail) -> Classification | None:
    found = mail.kept(recipients_in_parts(mail.message), guessed=False)
    return Classification(Kind.DELIVERY_REPORT, "RFC 3464 report", found) if found else None


def _automatic_answer(mail: _Mail) -> Classification | None:
    if _is_read_receipt(mail.message):
        return Classification(Kind.AUTO_REPLY, "read receipt (RFC 8098)")
    if is_vacation_reply(mail.headers, mail.subject):
        return Classification(Kind.AUTO_REPLY, "vacation reply (RFC 3834)")
    if is_challenge(mail.headers, mail.subject, notice_text(mail.message)):
        return Classification(Kind.CHALLENGE, "challenge/response")
    return None


def _flufl_bounce(mail: _Mail) -> Classification | None:
    if not mail.like_a_bounce:
        return None  # its heuristics also fire on people's mail that quotes a bounce
    found = detect_bounce(mail.raw)
    guesses = mail.kept(
        [
            *(RecipientStatus(a, Outcome.FAILED) for a in sorted(found.permanent)),
            *(RecipientStatus(a, Outcome.DELAYED) for a in sorted(found.temporary)),
        ],
        guessed=True,
    )
    if not guesses:
        return None
    return Classification(Kind.DELIVERY_REPORT, "flufl.bounce", refine(guesses, _notice(mail)))


def _dsn_fields_in_text(mail: _Mail) -> Classification | None:
    """RFC 3464's fallback: the fields written where no delivery-status part holds them."""
    text = _text_of(mail.message)
    found = mail.kept(recipients_in_text(text) or recipients_in_ses_json(text), guessed=False)
    return Classification(Kind.DELIVERY_REPORT, "DSN fields in the text", found) if found else None


def _prose(mail: _Mail) -> Classification | None:
    if not mail.like_a_bounce:
        return None
    found = mail.kept(recipients_in_prose(_notice(mail), frozenset()), guessed=True)
    return Classification(Kind.DELIVERY_REPORT, "the notice's own words", found) if found else None


def _nameless(mail: _Mail) -> Classification | None:
    if not mail.like_a_bounce:
        return None
    return Classification(Kind.DELIVERY_REPORT, "a non-delivery notice naming no address")


_READERS: tuple[Callable[[_Mail], Classification | None], ...] = (
    _complaint,
    _delivery_status_part,
    _automatic_answer,
    _flufl_bounce,
    _dsn_fields_in_text,
    _prose,
    _nameless,
)


def _notice(mail: _Mail) -> str:
    return f"{mail.subject}\n\n{notice_text(mail.message)}"


def _text_of(message: Message) -> str:
    """The text parts, decoded; the first 200 KB is plenty for a report."""
    pieces: list[str] = []
    for part in message.walk():
        if part.get_content_maintype() not in ("text", "message") or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            try:
                pieces.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
            except LookupError:
                pieces.append(payload.decode("utf-8", "replace"))
    return "\n\n".join(pieces)[:200_000]


def _declares_a_report(message: Message) -> bool:
    return message.get_content_type() == "multipart/report" and (
        message.get_param("report-type", "", header="content-type") == "delivery-status"
    )


def _is_read_receipt(message: Message) -> bool:
    """An RFC 8098 notification that the message was shown (or filed): not a failure. One that
    says "deleted" or "denied" unread is read on as a report."""
    for part in message.walk():
        if part.get_content_type() != "message/disposition-notification":
            continue
        payload = part.get_payload()
        text = (str(payload[0]) if isinstance(payload, list) and payload else str(payload)).lower()
        disposition = text.partition("disposition:")[2].partition("\n")[0]
        kind = disposition.partition(";")[2].strip()
        return kind.startswith(("displayed", "dispatched", "processed"))
    return False
