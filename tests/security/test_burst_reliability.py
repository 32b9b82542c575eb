"""A worker SIGKILLed in the middle of a 500-post burst, then restarted: every post is archived
once and every member gets every post once (PostgreSQL, several processes' database)."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from archive.models import Message
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.mail.inbound import enqueue_inbound
from forum.models import InboundMessage, InboundState
from forum.settings import Settings
from tests.mail import raw_mail
from tests.processes import forum_process
from tests.smtp_sink import Sink

POSTS = 500
MEMBERS = [f"giaovien{i:02d}@truong{i % 3}.edu.vn" for i in range(8)]


def _worker(settings: Settings, sink: Sink, log: Path) -> subprocess.Popen[bytes]:
    lease = {"FORUM_DELIVERY_LEASE_SECONDS": "3", "FORUM_INBOUND_LEASE_SECONDS": "3"}
    return forum_process(settings, log, "worker", FORUM_SMTP_URL=sink.url, **lease)


def _until(predicate: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def _queued() -> int:
    db.session.rollback()
    query = select(func.count(InboundMessage.id)).where(InboundMessage.state == InboundState.QUEUED)
    return int(db.session.scalar(query) or 0)


def test_a_worker_killed_mid_burst_loses_and_repeats_nothing(
    app: Flask, settings: Settings, sink: Sink, tmp_path: Path
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the burst runs on PostgreSQL (FORUM_TEST_DATABASE_URL)")
    mlist, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), settings.domain)
    for email in MEMBERS:
        add_member(db.session(), mlist, email)
    db.session.commit()
    for n in range(POSTS):
        raw = raw_mail(f"burst-{n}@truong0.edu.vn", sender=MEMBERS[0], subject=f"Thư {n}")
        enqueue_inbound(db.session(), raw, MEMBERS[0], [mlist.posting_address])

    log = tmp_path / "worker.log"
    first = _worker(settings, sink, log)
    _until(lambda: len(sink.received) >= 200 and _queued() > 0, timeout=120)
    first.send_signal(signal.SIGKILL)  # in the middle: posts queued, copies in flight
    first.wait(timeout=10)
    assert _queued() > 0

    second = _worker(settings, sink, log)
    try:
        _until(lambda: len(sink.received) >= POSTS * len(MEMBERS) and not _queued(), 240)
        time.sleep(1)  # anything sent twice would arrive now
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, log.read_text()[-3000:]

    db.session.rollback()
    assert db.session.scalar(select(func.count(Message.id))) == POSTS
    states = Counter(db.session.scalars(select(InboundMessage.state)))
    assert states == {InboundState.DONE: POSTS}
    copies = Counter((m.rcpt_tos[0], str(m.message["Message-ID"])) for m in sink.received)
    assert len(copies) == POSTS * len(MEMBERS)  # every member got every post
    repeated = sum(count - 1 for count in copies.values())
    # Only the copy in flight at the kill may arrive twice (SMTP cannot tell, RFC 1047).
    assert repeated <= 1
