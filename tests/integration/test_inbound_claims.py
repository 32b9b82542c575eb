"""The inbound queue is claimed like the outbox: two `forum worker` processes and web posts
processed in their requests, racing on one database, handle each message exactly once; a
message whose processor keeps dying is set aside instead of being taken forever."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from archive.db import utcnow
from archive.models import Message
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.mail.inbound import GAVE_UP, MAX_ATTEMPTS, claim_inbound, enqueue_inbound
from forum.models import InboundMessage, InboundState, OutgoingMessage
from forum.posting.webpost import WebPost, send_web_post
from forum.settings import Settings
from tests.mail import raw_mail
from tests.processes import forum_process
from tests.smtp_sink import Sink

MEMBERS = ["an@school1.edu.vn", "binh@school2.edu.vn", "chi@school3.edu.vn"]
MAILED = 120
WEB = 20


@pytest.fixture
def sink(no_outbound_smtp: set[int]) -> Iterator[Sink]:
    sink = Sink().start()
    no_outbound_smtp.add(sink.port)
    yield sink
    sink.stop()


def _worker(settings: Settings, sink: Sink, log: Path) -> subprocess.Popen[bytes]:
    return forum_process(settings, log, "worker", FORUM_SMTP_URL=sink.url, FORUM_LOG_LEVEL="INFO")


def _settled() -> int:
    db.session.rollback()
    waiting = select(func.count(InboundMessage.id)).where(
        InboundMessage.state == InboundState.QUEUED
    )
    return int(db.session.scalar(waiting) or 0)


def test_two_workers_and_web_posts_process_each_message_exactly_once(
    app: Flask, settings: Settings, sink: Sink, tmp_path: Path
) -> None:
    mlist, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), settings.domain)
    for email in MEMBERS:
        add_member(db.session(), mlist, email)
    db.session.commit()
    for n in range(MAILED):
        raw = raw_mail(f"race-{n}@school1.edu.vn", sender=MEMBERS[0], subject=f"Thư {n}")
        enqueue_inbound(db.session(), raw, MEMBERS[0], [mlist.posting_address])

    log = tmp_path / "workers.log"
    workers = [_worker(settings, sink, log), _worker(settings, sink, log)]
    try:
        for n in range(WEB):  # what a request does, while both workers claim batches
            post = WebPost(f"Trên web {n}", f"Nội dung {n}")
            send_web_post(db.session(), settings, mlist, ("Bình", MEMBERS[1]), post, None, None)
        deadline = time.monotonic() + 120
        while _settled() and time.monotonic() < deadline:
            time.sleep(0.2)
        while len(sink.received) < (MAILED + WEB) * len(MEMBERS) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            assert worker.wait(timeout=30) == 0, log.read_text()

    db.session.rollback()
    states = Counter(db.session.scalars(select(InboundMessage.state)))
    assert states == {InboundState.DONE: MAILED + WEB}, log.read_text()[-3000:]
    assert db.session.scalar(select(func.count(Message.id))) == MAILED + WEB
    per_message = Counter(db.session.scalars(select(OutgoingMessage.archived_id)))
    assert len(per_message) == MAILED + WEB
    assert set(per_message.values()) == {1}
    received = Counter(sink.recipients())
    assert received == {member: MAILED + WEB for member in MEMBERS}
    assert "inbound" in log.read_text()
    assert " done: " in log.read_text()


def test_a_message_whose_processor_keeps_dying_is_set_aside(app: Flask) -> None:
    item_id = enqueue_inbound(db.session(), raw_mail("poison@x.vn"), "a@x.vn", ["thpt@x.vn"])
    now = utcnow()
    for attempt in range(MAX_ATTEMPTS):  # each claim's processor dies before settling it
        claim, ids = claim_inbound(db.session(), 10, timedelta(seconds=1), now=now)
        assert ids == [item_id], attempt
        now += timedelta(seconds=2)
    claim, ids = claim_inbound(db.session(), 10, timedelta(seconds=1), now=now)
    assert ids == []
    item = db.session.get(InboundMessage, item_id, populate_existing=True)
    assert item is not None
    assert item.state == InboundState.FAILED
    assert item.error == GAVE_UP.format(n=MAX_ATTEMPTS)


def test_a_claimed_message_is_not_claimed_again_until_its_lease_ends(app: Flask) -> None:
    item_id = enqueue_inbound(db.session(), raw_mail("leased@x.vn"), "a@x.vn", ["thpt@x.vn"])
    now = utcnow()
    first, ids = claim_inbound(db.session(), 10, timedelta(minutes=5), now=now)
    assert ids == [item_id]
    assert claim_inbound(db.session(), 10, timedelta(minutes=5), now=now)[1] == []
    later = now + timedelta(minutes=6)
    second, ids = claim_inbound(db.session(), 10, timedelta(minutes=5), now=later)
    assert ids == [item_id]
    assert second != first


def test_a_claim_takes_no_more_than_its_limit(app: Flask) -> None:
    for n in range(120):
        enqueue_inbound(db.session(), raw_mail(f"many-{n}@x.vn"), "a@x.vn", ["thpt@x.vn"])
    claim, ids = claim_inbound(db.session(), 10)
    assert len(ids) == 10
    claimed = select(func.count(InboundMessage.id)).where(InboundMessage.claimed_by == claim)
    assert db.session.scalar(claimed) == 10
