"""The kept child for frequent confined steps (sanitising large HTML): one process serves call
after call under the same limits as a fresh one, and a call past its budget is answered
OverBudget while the next call gets a new child."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from archive.budget import MIB, Limits, OverBudget
from archive.kept_child import run_kept, stop_children
from archive.sanitize import sanitize_html

SLEEP = "tests.security.greedy_steps:sleep"
ALLOCATE = "tests.security.greedy_steps:allocate"
LIMITS = Limits(seconds=2.0, memory_bytes=256 * MIB)


@pytest.fixture(autouse=True)
def _no_child_left() -> Iterator[None]:
    yield
    stop_children()


def test_one_child_answers_call_after_call() -> None:
    assert [run_kept(SLEEP, b"0", LIMITS) for _ in range(20)] == [b"woke"] * 20


def test_a_call_past_its_time_is_stopped_and_the_next_call_gets_a_new_child() -> None:
    with pytest.raises(OverBudget, match="longer than 2 s"):
        run_kept(SLEEP, b"30", LIMITS)
    assert run_kept(SLEEP, b"0", LIMITS) == b"woke"


def test_a_call_past_its_memory_is_refused_and_the_child_goes_on() -> None:
    with pytest.raises(OverBudget, match="MiB"):
        run_kept(ALLOCATE, b"1024", LIMITS)
    assert run_kept(ALLOCATE, b"16", LIMITS) == b"16"


def test_large_html_is_sanitised_in_the_kept_child_like_small_html() -> None:
    rows = "".join(f"<tr><td onclick='x()'>ô {n}</td><td>&amp;</td></tr>" for n in range(1500))
    html = f"<table>{rows}</table><script>alert(1)</script>"
    cleaned = sanitize_html(html)
    assert "onclick" not in cleaned
    assert "<script" not in cleaned
    assert cleaned.count("<tr>") == 1500
    assert sanitize_html(html) == cleaned  # the same child, the same answer
