"""What the post path did with a message for one recipient address: an outcome and a note."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    POSTED = "posted"
    HELD = "held"
    REJECTED = "rejected"
    DISCARDED = "discarded"
    DUPLICATE = "duplicate"
    TAKEN = "taken by a feature"  # e.g. "đã nhận" alone acknowledges a notice, unposted
    FORWARDED = "forwarded"
    BOUNCE = "bounce"
    ANSWERED = "answered"  # join, leave, confirm, -request commands, a moderator's reply
    IGNORED = "ignored"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    note: str = ""

    def __str__(self) -> str:
        return f"{self.outcome}: {self.note}" if self.note else str(self.outcome)
