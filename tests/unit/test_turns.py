"""Turns at the write lock: a party holding the lock post after post cannot starve another
that needs it for short writes, and a party alone never waits."""

from __future__ import annotations

import threading
import time

from forum.turns import NO_TURNS, Turns


def _hold_repeatedly(turns: Turns, party: str, each: float, until: float, done: list[int]) -> None:
    while time.monotonic() < until:
        with turns.hold(party):
            time.sleep(each)
        done.append(1)


def test_a_party_writing_without_pause_does_not_starve_the_other() -> None:
    turns = Turns({"inbound": 0.05, "delivery": 0.1})
    until = time.monotonic() + 1.0
    posts: list[int] = []
    copies: list[int] = []
    inbound = threading.Thread(target=_hold_repeatedly, args=(turns, "inbound", 0.02, until, posts))
    delivery = threading.Thread(
        target=_hold_repeatedly, args=(turns, "delivery", 0.001, until, copies)
    )
    inbound.start()
    delivery.start()
    inbound.join()
    delivery.join()
    # Inbound never lets go for long; still, delivery writes through most of its turns (with
    # a plain lock it got about one write per post) and inbound keeps going too.
    assert len(copies) > 5 * len(posts)
    assert len(posts) >= 5


def test_a_party_alone_goes_on_turn_after_turn() -> None:
    turns = Turns({"inbound": 0.01})
    for _ in range(200):
        with turns.hold("inbound"):
            pass
    with turns.hold("delivery"):  # the other comes in once the first is idle
        pass


def test_no_turns_holds_nothing() -> None:
    with NO_TURNS.hold("inbound"), NO_TURNS.hold("delivery"):
        pass
