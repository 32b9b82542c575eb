"""The SMTP transport against a real server: our own work done while the server reads the
envelope runs exactly once, whatever becomes of the copy, and a failure in it leaves the
connection usable for the next copy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.smtp import Envelope

from forum.mail.transport import PermanentFailure, SmtpTransport, TemporaryFailure
from tests.smtp_sink import Sink, free_port

MESSAGE = b"From: a@example.org\nTo: b@example.org\nSubject: x\n\nBody.\n"


@pytest.fixture
def sink(no_outbound_smtp: set[int]) -> Iterator[Sink]:
    server = Sink().start()
    no_outbound_smtp.add(server.port)
    yield server
    server.stop()


@pytest.fixture
def transport(sink: Sink) -> Iterator[SmtpTransport]:
    with SmtpTransport(sink.url) as smtp:
        yield smtp


class Calls:
    """Counts the calls of our work, and can fail them."""

    def __init__(self, events: list[str], fail: bool = False) -> None:
        self.events = events
        self.fail = fail

    def meanwhile(self) -> None:
        self.events.append("meanwhile")
        if self.fail:
            raise RuntimeError("the database is gone")

    def message(self) -> bytes:
        self.events.append("message made")
        return MESSAGE


def test_our_work_is_done_once_before_the_message_reaches_the_server(
    sink: Sink, transport: SmtpTransport
) -> None:
    events: list[str] = []
    sink.on_data = lambda envelope: events.append("DATA received")
    calls = Calls(events)
    transport.send("list-bounces@example.org", "b@example.org", calls.message, calls.meanwhile)
    assert events == ["meanwhile", "message made", "DATA received"]
    assert sink.received[0].data.endswith(b"\r\n\r\nBody.\r\n")


def test_a_refused_recipient_still_runs_our_work_once_and_the_next_copy_goes(
    sink: Sink, transport: SmtpTransport
) -> None:
    sink.refuse.add("gone@example.org")
    events: list[str] = []
    calls = Calls(events)
    with pytest.raises(PermanentFailure, match="550"):
        transport.send("l@example.org", "gone@example.org", calls.message, calls.meanwhile)
    assert events == ["meanwhile", "message made"]  # made while RCPT TO was read
    transport.send("l@example.org", "b@example.org", MESSAGE)
    assert sink.recipients() == ["b@example.org"]


def test_a_server_that_is_down_still_runs_our_work_once(no_outbound_smtp: set[int]) -> None:
    port = free_port()
    no_outbound_smtp.add(port)
    events: list[str] = []
    calls = Calls(events)
    with (
        SmtpTransport(f"smtp://127.0.0.1:{port}") as transport,
        pytest.raises(TemporaryFailure),
    ):
        transport.send("l@example.org", "b@example.org", MESSAGE, calls.meanwhile)
    assert events == ["meanwhile"]


def test_an_unusable_address_still_runs_our_work_once(sink: Sink, transport: SmtpTransport) -> None:
    events: list[str] = []
    calls = Calls(events)
    with pytest.raises(PermanentFailure, match="envelope address"):
        transport.send(
            "l@example.org", "b@example.org\r\nRCPT TO:<x@evil.example>", MESSAGE, calls.meanwhile
        )
    assert events == ["meanwhile"]
    assert sink.received == []


def test_a_failure_in_our_work_sends_nothing_and_the_next_copy_starts_afresh(
    sink: Sink, transport: SmtpTransport
) -> None:
    events: list[str] = []
    with pytest.raises(RuntimeError, match="database is gone"):
        transport.send(
            "l@example.org", "b@example.org", MESSAGE, Calls(events, fail=True).meanwhile
        )
    assert events == ["meanwhile"]
    transport.send("l@example.org", "c@example.org", MESSAGE)
    assert sink.recipients() == ["c@example.org"]


def test_a_failure_while_making_the_message_sends_nothing(
    sink: Sink, transport: SmtpTransport
) -> None:
    def broken() -> bytes:
        raise ValueError("no such template")

    with pytest.raises(ValueError, match="template"):
        transport.send("l@example.org", "b@example.org", broken)
    transport.send("l@example.org", "c@example.org", MESSAGE)
    assert sink.recipients() == ["c@example.org"]


def test_the_envelope_is_checked_by_the_server_before_the_message(sink: Sink) -> None:
    seen: list[Envelope] = []
    sink.on_data = seen.append
    with SmtpTransport(sink.url) as transport:
        transport.send("l@example.org", "b@example.org", MESSAGE)
    assert [(e.mail_from, e.rcpt_tos) for e in seen] == [("l@example.org", ["b@example.org"])]
