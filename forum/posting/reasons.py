"""Why a post is held: a code and its parameters, stored as data and put into words only when
shown, in the reader's language."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup


class ReasonCode(StrEnum):
    NONMEMBER = "nonmember"
    ANNOUNCE_ONLY = "announce_only"
    NEW_MEMBER = "new_member"  # n, of
    TOO_LARGE = "too_large"  # kb
    BLOCKED_ATTACHMENT = "blocked_attachment"  # names
    CONFIDENTIAL = "confidential"  # mark, and where it was found
    TOO_MANY_RECIPIENTS = "too_many_recipients"  # n
    IMPLICIT_DESTINATION = "implicit_destination"
    ADMINISTRIVIA = "administrivia"
    AUTOMATIC = "automatic"
    OTHER = "other"  # text: a reason stored before codes, kept as it was written


@dataclass(frozen=True, slots=True)
class HoldReason:
    code: ReasonCode
    params: tuple[tuple[str, str], ...] = ()

    def param(self, key: str) -> str:
        return dict(self.params).get(key, "")


def reason(code: ReasonCode, **params: object) -> HoldReason:
    return HoldReason(code, tuple((key, str(value)) for key, value in params.items()))


def dumps(reasons: Sequence[HoldReason]) -> str:
    return json.dumps(
        [{"code": r.code.value, **dict(r.params)} for r in reasons], ensure_ascii=False
    )


def loads(stored: str) -> list[HoldReason]:
    """The reasons stored on a held post; anything unreadable is kept as text."""
    try:
        items = json.loads(stored or "[]")
    except ValueError:
        return [reason(ReasonCode.OTHER, text=line) for line in stored.splitlines() if line.strip()]
    found = []
    for item in items if isinstance(items, list) else []:
        params = (
            {k: str(v) for k, v in item.items() if k != "code"} if isinstance(item, dict) else {}
        )
        try:
            code = ReasonCode(str(item.get("code"))) if isinstance(item, dict) else ReasonCode.OTHER
        except ValueError:
            code, params = ReasonCode.OTHER, {"text": str(item)}
        found.append(HoldReason(code, tuple(params.items())))
    return found


_WORDS: dict[ReasonCode, Callable[[HoldReason], str]] = {
    ReasonCode.NONMEMBER: lambda r: _("the sender is not a member"),
    ReasonCode.ANNOUNCE_ONLY: lambda r: _("only the group's announcers may post here"),
    ReasonCode.NEW_MEMBER: lambda r: _(
        "new member: post %(n)s of the first %(of)s", n=r.param("n"), of=r.param("of")
    ),
    ReasonCode.TOO_LARGE: lambda r: _("message larger than %(kb)s KB", kb=r.param("kb")),
    ReasonCode.BLOCKED_ATTACHMENT: lambda r: _(
        "attachment type not allowed: %(names)s", names=r.param("names")
    ),
    ReasonCode.CONFIDENTIAL: lambda r: _confidential(r),
    ReasonCode.TOO_MANY_RECIPIENTS: lambda r: _("too many recipients (%(n)s)", n=r.param("n")),
    ReasonCode.IMPLICIT_DESTINATION: lambda r: _("the group is not in To or Cc"),
    ReasonCode.ADMINISTRIVIA: lambda r: _(
        "looks like a request to join or leave, sent to the whole group"
    ),
    ReasonCode.AUTOMATIC: lambda r: _("an automatic reply sent to the group"),
    ReasonCode.OTHER: lambda r: r.param("text"),
}


def _confidential(held: HoldReason) -> str:
    said = _("confidentiality mark: %(mark)s", mark=held.param("mark"))
    where = found_where(held)
    return f"{said} — {where}" if where else said


def found_where(held: HoldReason) -> str:
    """Where a confidentiality mark was found, in words ("" for reasons stored without it)."""
    place = held.param("place")
    if place == "subject":
        return str(_("in the subject"))
    if place == "attachment name":
        return str(_("in the attachment name %(name)s", name=held.param("source")))
    if place == "body line":
        return str(_("in line %(n)s of the message", n=held.param("line")))
    return ""


def marked_source(held: HoldReason, before: str = "«", after: str = "»") -> str:
    """The subject, line or file name with the mark between `before` and `after` (for mail)."""
    source, span = held.param("source"), _span(held)
    if not source or span is None:
        return ""
    return f"{source[: span[0]]}{before}{source[span[0] : span[1]]}{after}{source[span[1] :]}"


def marked_html(held: HoldReason) -> Markup:
    """The same with the mark in a <mark> element, everything escaped (for pages)."""
    source, span = held.param("source"), _span(held)
    if not source or span is None:
        return Markup("")
    start, end = span
    return Markup("{}<mark>{}</mark>{}").format(source[:start], source[start:end], source[end:])


def _span(held: HoldReason) -> tuple[int, int] | None:
    try:
        start, end = int(held.param("start")), int(held.param("end"))
    except ValueError:
        return None
    return (start, end) if 0 <= start < end <= len(held.param("source")) else None


def is_confidential(stored: str) -> bool:
    """Whether a held post waits for a confidentiality mark: never released in bulk."""
    return any(r.code is ReasonCode.CONFIDENTIAL for r in loads(stored))


def describe(held: HoldReason) -> str:
    """One reason as a sentence in the current language."""
    return _WORDS[held.code](held)


def describe_stored(stored: str) -> list[str]:
    """The stored reasons of a held post, each as a sentence in the current language."""
    return [describe(r) for r in loads(stored)]


def for_the_log(reasons: Sequence[HoldReason]) -> str:
    """The reasons in English, for the inbound log that admins read."""
    with force_locale("en"):
        return "; ".join(describe(r) for r in reasons)


@dataclass(frozen=True, slots=True)
class ShownReason:
    """A reason as a page shows it: the sentence, and for a mark the marked text."""

    text: str
    marked: Markup
    confidential: bool


def shown(stored: str) -> list[ShownReason]:
    return [
        ShownReason(describe(r), marked_html(r), r.code is ReasonCode.CONFIDENTIAL)
        for r in loads(stored)
    ]
