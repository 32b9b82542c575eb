"""The shapes of the steps that features (notices, drafts) plug into the post path. The steps
themselves are listed, in order, in forum.posting.steps; features never call each other."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from archive.models import MailingList, Message
from archive.parsed import ParsedMessage
from forum.settings import Settings


@dataclass(frozen=True, slots=True)
class Arrived:
    """A post to a list, before the hold rules."""

    session: Session
    settings: Settings
    mlist: MailingList
    parsed: ParsedMessage
    sender: str  # the author's address, lowercased ("" when there is none)


@dataclass(frozen=True, slots=True)
class Stored:
    """A post just archived in one list, about to go out to its members."""

    session: Session
    settings: Settings
    mlist: MailingList
    message: Message
    parsed: ParsedMessage


@dataclass(frozen=True, slots=True)
class Extras:
    """What a feature adds to a post's delivery."""

    footers: Mapping[str, str] = field(default_factory=dict)  # a paragraph per recipient
    # who gets the post whatever their delivery mode or muted threads (focal points, for a
    # notice that needs action or a draft's announcement)
    always: frozenset[str] = frozenset()
    note: str = ""  # for the inbound log


# Returns a note when the feature has taken the post whole (it is then not posted).
Intercept = Callable[[Arrived], str | None]
AfterStore = Callable[[Stored], Extras]
