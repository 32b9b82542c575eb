"""`forum worker` as a real process: killed mid-batch with SIGKILL, restarted, stopped with
SIGTERM. Nothing is lost and nobody gets a second copy of what their server accepted."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.mail.bounces import verp_sender
from forum.mail.outbox import enqueue
from forum.models import Delivery
from forum.settings import Settings
from tests.mail import raw_mail
from tests.processes import forum_process
from tests.smtp_sink import Sink

RECIPIENTS = [f"member{i:04d}@school{i % 7}.edu.vn" for i in range(300)]


@pytest.fixture
def slow_sink(no_outbound_smtp: set[int]) -> Iterator[Sink]:
    sink = Sink(delay=0.01).start()  # slow enough to kill the worker in the middle
    no_outbound_smtp.add(sink.port)
    yield sink
    sink.stop()


def _worker(settings: Settings, sink: Sink, log: Path) -> subprocess.Popen[bytes]:
    lease = {"FORUM_DELIVERY_LEASE_SECONDS": "2"}
    return forum_process(settings, log, "worker", FORUM_SMTP_URL=sink.url, **lease)


def _wait(predicate: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _sent() -> int:
    db.session.rollback()
    return int(
        db.session.scalar(select(func.count(Delivery.id)).where(Delivery.state == "sent")) or 0
    )


def test_worker_killed_mid_batch_then_restarted_delivers_everything_once(
    app: Flask, settings: Settings, slow_sink: Sink, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    mlist, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), "example.org")
    enqueue(
        db.session(),
        raw_mail("fanout@example.org"),
        [(r, verp_sender("thpt", "example.org", r)) for r in RECIPIENTS],
        list_id=mlist.id,
        kind="notice",
    )
    db.session.commit()

    first = _worker(settings, slow_sink, log)
    _wait(lambda: len(slow_sink.received) >= 40, timeout=60)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    db.session.rollback()
    recorded_sent = set(
        db.session.scalars(select(Delivery.recipient).where(Delivery.state == "sent"))
    )
    assert 0 < len(recorded_sent) < len(RECIPIENTS)

    second = _worker(settings, slow_sink, log)
    try:
        _wait(lambda: _sent() == len(RECIPIENTS), timeout=90)
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, log.read_text()
    received = Counter(slow_sink.recipients())
    assert set(received) == set(RECIPIENTS)
    assert all(received[r] == 1 for r in recorded_sent)  # what we knew was accepted: once
    # Only the copy in flight at the kill may arrive twice (SMTP cannot tell, RFC 1047).
    assert sum(received.values()) - len(RECIPIENTS) <= 1
