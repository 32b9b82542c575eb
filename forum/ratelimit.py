"""Counting events per key in a sliding window (stored, so every process sees the same counts)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from archive.db import utcnow
from forum.models import RateEvent


def allowed(
    session: Session, key: str, limit: int, window: timedelta, now: datetime | None = None
) -> bool:
    """True (and the event counted) when `key` had fewer than `limit` events in `window`."""
    now = now or utcnow()
    session.execute(delete(RateEvent).where(RateEvent.key == key, RateEvent.at < now - window))
    count = session.scalar(select(func.count(RateEvent.id)).where(RateEvent.key == key)) or 0
    if count >= limit:
        return False
    session.add(RateEvent(key=key[:400], at=now))
    session.flush()
    return True
