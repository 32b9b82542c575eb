"""Several delivery threads on one outbox, each with its own app context, database connection
and SMTP connection to a real sink: every recipient gets exactly one copy."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.extensions import db, session
from forum.lists.lists import ListSpec, ensure_list
from forum.mail.bounces import verp_sender
from forum.mail.delivery import DeliveryReport, deliver_due, transport_for
from forum.mail.delivery_pool import deliver_parallel
from forum.mail.outbox import SENDING, claim, enqueue
from forum.models import Delivery
from forum.settings import Settings
from tests.mail import raw_mail
from tests.smtp_sink import Sink

RECIPIENTS = [f"giaovien{i:04d}@truong{i % 13}.edu.vn" for i in range(600)]


@pytest.fixture
def sink(no_outbound_smtp: set[int]) -> Iterator[Sink]:
    server = Sink().start()
    no_outbound_smtp.add(server.port)
    yield server
    server.stop()


@pytest.fixture
def settings(settings: Settings, database_url: str, sink: Sink) -> Settings:
    # `database_url` is named so that pytest sees the backends behind the overridden fixture.
    return settings.but(smtp_url=sink.url)


@pytest.fixture
def big_outbox(app: Flask) -> None:
    mlist, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), "example.org")
    enqueue(
        db.session(),
        raw_mail("fanout@example.org", body="Kính gửi các trường.\n"),
        [(r, verp_sender("thpt", "example.org", r)) for r in RECIPIENTS],
        list_id=mlist.id,
    )
    db.session.commit()


def _deliver_until_done(
    app: Flask, settings: Settings, start: threading.Barrier, reports: list[DeliveryReport]
) -> None:
    transport = transport_for(settings)
    report = DeliveryReport()
    try:
        with app.app_context():
            start.wait(timeout=10)
            while (batch := deliver_due(session(), settings, transport, limit=20)).handled:
                report.add(batch)
            db.session.remove()
    finally:
        transport.close()
        reports.append(report)


def _sent_rows() -> int:
    db.session.rollback()
    query = select(func.count(Delivery.id)).where(Delivery.state == "sent")
    return int(db.session.scalar(query) or 0)


def _assert_each_recipient_got_one_copy(sink: Sink) -> None:
    received = Counter(sink.recipients())
    assert set(received) == set(RECIPIENTS)
    assert [r for r, count in received.items() if count > 1] == []
    assert _sent_rows() == len(RECIPIENTS)


@pytest.mark.usefixtures("big_outbox")
def test_threads_delivering_one_outbox_together_send_each_copy_once(
    app: Flask, settings: Settings, sink: Sink
) -> None:
    start = threading.Barrier(4)
    reports: list[DeliveryReport] = []
    threads = [
        threading.Thread(target=_deliver_until_done, args=(app, settings, start, reports))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(reports) == 4, "a delivery thread did not finish"
    _assert_each_recipient_got_one_copy(sink)
    assert sum(r.sent for r in reports) == len(RECIPIENTS)
    assert sum(r.deferred + r.failed for r in reports) == 0
    assert sum(1 for r in reports if r.sent) >= 2  # they really shared the work


@pytest.mark.usefixtures("big_outbox")
def test_a_delivery_pool_sends_each_copy_once_over_several_connections(
    app: Flask, settings: Settings, sink: Sink
) -> None:
    report = deliver_parallel(app, settings, connections=3, limit=25)
    assert report == DeliveryReport(sent=len(RECIPIENTS))
    _assert_each_recipient_got_one_copy(sink)
    assert len({item.mail_from for item in sink.received}) == len(RECIPIENTS)  # VERP each


@pytest.mark.usefixtures("big_outbox")
def test_a_batch_older_than_half_its_lease_gives_the_rest_back(
    app: Flask, settings: Settings, sink: Sink
) -> None:
    sink.delay = 0.05  # 600 copies take far longer than half a one-second lease
    transport = transport_for(settings)
    try:
        report = deliver_due(
            session(), settings.but(delivery_lease_seconds=1), transport, limit=len(RECIPIENTS)
        )
    finally:
        transport.close()
    assert 0 < report.sent < len(RECIPIENTS)
    assert report.sent + report.released == len(RECIPIENTS)
    db.session.rollback()
    states = Counter(db.session.scalars(select(Delivery.state)))
    assert states == {"sent": report.sent, "queued": report.released}


@pytest.mark.usefixtures("big_outbox")
def test_each_copys_outcome_is_committed_before_the_next_message_is_sent(
    app: Flask, settings: Settings, sink: Sink
) -> None:
    """The mark of a copy is written while the server reads the next copy's envelope: by the
    time the next message arrives, every copy accepted before it is recorded as sent."""
    engine = db.engine
    unrecorded: list[int] = []

    def check(envelope: object) -> None:
        with engine.connect() as reader:
            recorded = reader.scalar(
                select(func.count(Delivery.id)).where(Delivery.state == "sent")
            )
        accepted = len(sink.received)
        if recorded != accepted:
            unrecorded.append(accepted - int(recorded or 0))

    sink.on_data = check
    transport = transport_for(settings)
    try:
        report = deliver_due(session(), settings, transport, limit=100)
    finally:
        transport.close()
    assert report == DeliveryReport(sent=100)
    assert unrecorded == []
    assert _sent_rows() == 100  # the batch's last copy too, at the end of the batch


def test_a_claim_takes_no_more_copies_than_its_limit(big_outbox: None) -> None:
    copies = claim(db.session(), 25, timedelta(minutes=5))
    assert len(copies) == 25
    sending = select(func.count(Delivery.id)).where(Delivery.state == SENDING)
    assert db.session.scalar(sending) == 25
