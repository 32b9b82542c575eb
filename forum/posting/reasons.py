"""Hold reasons in the reader's language. They are stored in English, as data the moderation
log and the mail commands share; this turns each back into a sentence for people."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

_FIXED: dict[str, Callable[[], str]] = {
    "the sender is not a member": lambda: _("the sender is not a member"),
    "announce-only list: the sender may not post": lambda: _(
        "only the group's announcers may post here"
    ),
    "implicit destination: the list is not in To or Cc": lambda: _("the group is not in To or Cc"),
    "looks like a subscribe or unsubscribe request sent to the list": lambda: _(
        "looks like a request to join or leave, sent to the whole group"
    ),
    "an automatic reply sent to the list": lambda: _("an automatic reply sent to the group"),
}
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"new member: post (\d+) of the first (\d+)"),
        lambda m: _("new member: post %(n)s of the first %(of)s", n=m[1], of=m[2]),
    ),
    (
        re.compile(r"message larger than (\d+) KB"),
        lambda m: _("message larger than %(kb)s KB", kb=m[1]),
    ),
    (
        re.compile(r"attachment type not allowed: (.*)"),
        lambda m: _("attachment type not allowed: %(names)s", names=m[1]),
    ),
    (
        re.compile(r"confidentiality mark: (.*)"),
        lambda m: _("confidentiality mark: %(mark)s", mark=m[1]),
    ),
    (
        re.compile(r"too many recipients \((\d+)\)"),
        lambda m: _("too many recipients (%(n)s)", n=m[1]),
    ),
)


def reason_text(reason: str) -> str:
    """One stored reason as a sentence in the current language (unknown ones as they are)."""
    fixed = _FIXED.get(reason)
    if fixed is not None:
        return fixed()
    for pattern, say in _PATTERNS:
        found = pattern.fullmatch(reason)
        if found is not None:
            return say(found)
    return reason


def reasons_text(reasons: str) -> list[str]:
    """The reasons of a held post (one per line), each in the current language."""
    return [reason_text(line) for line in reasons.splitlines() if line.strip()]
