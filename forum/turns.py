"""Time-sliced turns at one SQLite database's write lock, for the worker's loops.

SQLite lets one writer in at a time and its busy handler is not fair: the inbound loop, which
holds the lock for a whole post, takes it again before the delivery loop's short writes (one
per copy) get a look in, and fan-out falls to one copy per post during a burst. With turns,
each loop writes for a slice of time while the other waits, then hands over when the other
wants it: delivery keeps most of its pace while posts pour in, and neither loop starves.
PostgreSQL locks rows, not the database: there the loops need no turns (`NO_TURNS`).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Protocol

IDLE_AFTER = 0.003  # a holder not back within this long has gone idle: others may go


class WriteTurns(Protocol):
    def hold(self, party: str) -> AbstractContextManager[object]: ...


class _NoTurns:
    def hold(self, party: str) -> AbstractContextManager[object]:
        return nullcontext()


NO_TURNS: WriteTurns = _NoTurns()


class Turns:
    """Parties take turns of `slices[party]` seconds; several threads of one party may write
    within its turn. A turn passes early when its party goes idle."""

    def __init__(self, slices: Mapping[str, float]) -> None:
        self.slices = dict(slices)
        self._changed = threading.Condition()
        self._owner: str | None = None
        self._started = 0.0
        self._left_at = 0.0
        self._active = 0
        self._waiting: Counter[str] = Counter()

    @contextmanager
    def hold(self, party: str) -> Iterator[None]:
        self._enter(party)
        try:
            yield
        finally:
            self._leave()

    def _enter(self, party: str) -> None:
        with self._changed:
            self._waiting[party] += 1
            while not self._may_enter(party, time.monotonic()):
                self._changed.wait(IDLE_AFTER)
            self._waiting[party] -= 1
            if self._owner != party:
                self._owner, self._started = party, time.monotonic()
            self._active += 1

    def _leave(self) -> None:
        with self._changed:
            self._active -= 1
            self._left_at = time.monotonic()
            self._changed.notify_all()

    def _may_enter(self, party: str, now: float) -> bool:
        owner = self._owner
        if owner is None:
            return True
        over = now - self._started >= self.slices.get(owner, 0.05)
        others = any(n for p, n in self._waiting.items() if p != owner)
        if owner == party:
            return not (over and others)
        if self._active:
            return False
        idle = not self._waiting[owner] and now - self._left_at >= IDLE_AFTER
        return over or idle
