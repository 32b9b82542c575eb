"""Telling automatic answers apart from delivery failures: vacation replies (RFC 3834),
challenge/response filters, and the headers and subjects of non-delivery notices."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from archive.headers import lenient_parseaddr

# Bounces also say "Auto-Submitted: auto-replied" (Postfix, Gmail), so that header alone marks a
# vacation reply only when the mail does not otherwise look like a non-delivery notice.
_VACATION_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponder", "x-vacation")
# Subject openings of vacation replies: Outlook ("Automatic reply:", "Trả lời tự động:"),
# Exchange ("Out of Office:"), Apple ("Auto reply:"), Lotus Notes ("... is out of the office"),
# German and French Exchange, and Vietnamese mailboxes ("Vắng mặt", "Đang nghỉ phép").
_VACATION_SUBJECT = re.compile(
    r"^\s*(?:(?:re|aw|fw|fwd)\s*:\s*)*(?:"
    r"auto(?:matic|matisch)?[ -]?(?:reply|response|answer|antwort)"
    r"|autoreply|auto:|ooo\b|out of (?:the )?office|away from (?:the )?office|vacation"
    r"|on (?:holiday|leave|vacation)|abwesenheit|absence|réponse automatique|r[ée]ponse auto"
    r"|tr[aả] l[oờ]i t[uự] [dđ][oộ]ng|v[aắ]ng m[aặ]t|[dđ]ang ngh[iỉ] ph[eé]p|ngh[iỉ] ph[eé]p"
    r")",
    re.IGNORECASE,
)
_VACATION_ANYWHERE = re.compile(r"out of (?:the )?office|is on (?:holiday|vacation|leave)")
# Challenge/response filters (TMDA, Spam Arrest, BoxTrapper, Mailbox-verification services)
# ask the sender to prove being a person; answering them would confirm to a spam filter.
_CHALLENGE_HEADERS = ("x-boxtrapper", "x-tmda-confirm", "x-spamarrest-noauth", "x-challenge")
_CHALLENGE_TEXT = re.compile(
    r"verify (?:that )?you are (?:a )?(?:human|real person)|prove (?:that )?you are (?:a )?human"
    r"|approved senders? list|confirm (?:that )?you sent (?:this|the) message"
    r"|spam ?arrest|boxtrapper|challenge[/ -]response|sender verification"
    r"|please (?:click|reply)[^.]{0,60}(?:to|so that) (?:verify|confirm|release|deliver)"
    r"|x[aá]c (?:nh[aậ]n|minh) (?:b[aạ]n|ng[uư][oờ]i g[uử]i)",
    re.IGNORECASE,
)
_CHALLENGE_SUBJECT = re.compile(
    r"please confirm your (?:e-?mail|message)|verification required|verify your (?:e-?mail|message)"
    r"|awaiting (?:your )?(?:confirmation|verification)|requires? (?:your )?confirmation"
    r"|sender verification|challenge",
    re.IGNORECASE,
)
# What non-delivery notices are titled, and who sends them.
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|not (?:be )?delivered|delivery (?:status )?(?:notification|failure|"
    r"failed|problem|report|has failed)|failure notice|returned mail|returning message|"
    r"mail delivery|delivery fail|non[- ]?delivery|nondeliverable|mail system error|"
    r"failed mail|rejected|delivery delayed|delayed mail|could not send|unzustellbar|"
    r"non remis|kh[oô]ng (?:th[eể] )?g[uử]i [dđ][uư][oợ]c|th[uư] b[iị] tr[aả] l[aạ]i|"
    r"user unknown|unknown user|no such user",
    re.IGNORECASE,
)
_ROBOT = re.compile(
    r"mailer[-_ ]?daemon|m ?daemon|post[-_ ]?master|poostmaster|mail ?delivery|no[-_ ]?reply|"
    r"ndr|bounces?",
    re.IGNORECASE,
)


def _words(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _has(headers: Mapping[str, str], name: str) -> bool:
    return bool(headers.get(name, "").strip())


def looks_like_a_bounce(headers: Mapping[str, str], subject: str) -> bool:
    """Sent by a mail system about a delivery: a robot sender or a non-delivery subject."""
    name, address = lenient_parseaddr(headers.get("from", ""))
    local = address.rpartition("@")[0] or address
    if not address and "<>" in headers.get("from", ""):
        return True
    if any(_ROBOT.fullmatch(piece.strip()) for piece in (local, name) if piece.strip()):
        return True
    if _ROBOT.search(name) and "delivery" in name.lower():
        return True
    return bool(_BOUNCE_SUBJECT.search(_words(subject)))


def is_vacation_reply(headers: Mapping[str, str], subject: str) -> bool:
    """An answer from a person's mailbox while they are away (RFC 3834 and common practice)."""
    if any(_has(headers, name) for name in _VACATION_HEADERS):
        return True
    if "vacation" in headers.get("x-apple-action", "").lower():
        return True
    if headers.get("precedence", "").strip().lower() == "auto_reply":
        return True
    subject = _words(subject)
    if _VACATION_SUBJECT.search(subject):
        return not _BOUNCE_SUBJECT.search(subject)
    automatic = headers.get("auto-submitted", "").split(";")[0].strip().lower()
    if automatic == "auto-replied" and not looks_like_a_bounce(headers, subject):
        return True
    return automatic.startswith("auto-") and bool(_VACATION_ANYWHERE.search(subject.lower()))


def is_challenge(headers: Mapping[str, str], subject: str, text: str) -> bool:
    """A challenge/response filter asking the sender to confirm being a person."""
    if any(_has(headers, name) for name in _CHALLENGE_HEADERS):
        return True
    subject = _words(subject)
    asks = bool(_CHALLENGE_TEXT.search(text[:4000]))
    if _CHALLENGE_SUBJECT.search(subject):
        return asks or not looks_like_a_bounce(headers, subject)
    return asks and not _BOUNCE_SUBJECT.search(subject)
