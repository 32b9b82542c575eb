"""Why a post is held: a code and its parameters, stored as data and put into words only when
shown, in the reader's language."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import force_locale
from flask_babel import gettext as _


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
    ReasonCode.CONFIDENTIAL: lambda r: _("confidentiality mark: %(mark)s", mark=r.param("mark")),
    ReasonCode.TOO_MANY_RECIPIENTS: lambda r: _("too many recipients (%(n)s)", n=r.param("n")),
    ReasonCode.IMPLICIT_DESTINATION: lambda r: _("the group is not in To or Cc"),
    ReasonCode.ADMINISTRIVIA: lambda r: _(
        "looks like a request to join or leave, sent to the whole group"
    ),
    ReasonCode.AUTOMATIC: lambda r: _("an automatic reply sent to the group"),
    ReasonCode.OTHER: lambda r: r.param("text"),
}


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
