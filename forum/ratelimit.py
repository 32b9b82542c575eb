"""Counting events per key in a sliding window (stored, so every process sees the same counts).

`allowed` is the plain counter (sign-in attempts, summaries). `reply_verdict` is the one limiter
of automatic replies to an address: each action (join, leave, confirm, help, held notice,
error) has its own limit per address and list, and all of them share one budget per address,
so forged requests never make us mail someone more than `BUDGET` times an hour. A refused
reply may be followed by one "too many requests" notice a day (`notice_allowed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive.db import utcnow
from forum.models import RateEvent
from forum.settings import Settings

ReplyAction = Literal["join", "leave", "confirm", "help", "held", "error"]


@dataclass(frozen=True, slots=True)
class Limit:
    count: int
    window: timedelta


HOUR = timedelta(hours=1)
ACTION_LIMITS: dict[ReplyAction, Limit] = {
    "join": Limit(2, HOUR),  # a lost confirmation may be asked for once more
    "leave": Limit(2, HOUR),  # apart from join: join, confirm, leave within a minute works
    "confirm": Limit(1, HOUR),  # "this reply cannot confirm" explanations
    "help": Limit(2, HOUR),
    "held": Limit(10, HOUR),  # a member's held posts (strangers hear once a day, see moderation)
    "error": Limit(2, HOUR),  # "not a member", "only owners may", ...
}
BUDGET = Limit(5, HOUR)  # every automatic reply to one address, whatever the action
NOTICE_EVERY = timedelta(days=1)  # "too many requests" at most once a day per address
KEPT = timedelta(days=2)  # longer than every window counted here: older events are pruned


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    retry_at: datetime | None = None  # when the first refused limit has room again


def allowed(
    session: Session, key: str, limit: int, window: timedelta, now: datetime | None = None
) -> bool:
    """True (and the event counted) when `key` had fewer than `limit` events in `window`."""
    now = now or utcnow()
    if len(_recent(session, key, window, now)) >= limit:
        return False
    _count(session, key, now)
    return True


def reply_verdict(
    session: Session,
    address: str,
    action: ReplyAction,
    scope: str = "",
    now: datetime | None = None,
) -> Verdict:
    """May we send `address` an automatic reply for `action` (within `scope`, say a list)?
    When allowed, the reply is counted against the action's limit and the shared budget."""
    now = now or utcnow()
    address = address.strip().lower()
    checks = [
        (f"reply:{action}:{scope}:{address}", ACTION_LIMITS[action]),
        (f"reply-budget:{address}", BUDGET),
    ]
    retry_at: datetime | None = None
    for key, limit in checks:
        recent = _recent(session, key, limit.window, now)
        if len(recent) >= limit.count:
            free = recent[len(recent) - limit.count] + limit.window
            retry_at = free if retry_at is None else max(retry_at, free)
    if retry_at is not None:
        return Verdict(False, retry_at)
    for key, _limit in checks:
        _count(session, key, now)
    return Verdict(True)


def notice_allowed(session: Session, address: str, now: datetime | None = None) -> bool:
    """The one "too many requests" notice a day an address may get (counted when True)."""
    return allowed(session, f"reply-notice:{address.strip().lower()}", 1, NOTICE_EVERY, now)


def prune(session: Session, settings: Settings | None = None, now: datetime | None = None) -> int:
    """Delete events older than any window (a periodic job, hence `settings`: forged mail
    from ever new addresses would otherwise leave rows nobody counts again); returns how
    many."""
    cutoff = (now or utcnow()) - KEPT
    result = session.execute(delete(RateEvent).where(RateEvent.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def _recent(session: Session, key: str, window: timedelta, now: datetime) -> list[datetime]:
    """The key's events still inside the window, oldest first (older ones are deleted)."""
    key = key[:400]
    session.execute(delete(RateEvent).where(RateEvent.key == key, RateEvent.at < now - window))
    return list(
        session.scalars(select(RateEvent.at).where(RateEvent.key == key).order_by(RateEvent.at))
    )


def _count(session: Session, key: str, now: datetime) -> None:
    session.add(RateEvent(key=key[:400], at=now))
    session.flush()
