"""Findings 7 of issue 13: DMARC munging leaves exactly one From; lines up to 2,048 bytes
and beyond are taken at SMTP and LMTP (a 500 before), kept and exported byte-exact."""

from __future__ import annotations

import smtplib
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from archive.mbox import iter_messages
from archive.models import MailingList, Message
from forum.extensions import db
from forum.mail.decorate import ListIdentity, decorate
from forum.mail.server import start_server
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import free_port

LIST = ListIdentity("thpt", "moet.example", "Trung học phổ thông", "https://forum.example")
TWO_FROMS = (
    b"From: An <an@strict.example>\r\n"
    b"From: Evil <ceo@bank.example>\r\n"
    b"Sender: An <an@strict.example>\r\n"
    b"To: thpt@moet.example\r\nSubject: Hai From\r\nMessage-ID: <two-froms@x>\r\n\r\nBody\r\n"
)


def test_dmarc_munging_leaves_exactly_one_from() -> None:
    out = message_from_bytes(decorate(TWO_FROMS, LIST, archived_url=None, munge_from=True))
    (only_from,) = out.get_all("From")  # was two: the list's and the second author's
    assert only_from.endswith("<thpt@moet.example>")
    assert out.get_all("Sender") is None
    assert out["X-Original-From"] == "Evil <ceo@bank.example>"
    assert out["X-Original-Sender"] == "An <an@strict.example>"
    assert out["Reply-To"] == "An <an@strict.example>"
    assert out.get_payload() == "Body\r\n"


def test_without_munging_the_authors_headers_are_left_as_sent() -> None:
    out = decorate(TWO_FROMS, LIST, archived_url=None, munge_from=False)
    assert b"From: Evil <ceo@bank.example>\r\n" in out
    assert b"X-Original" not in out


def _long_line_mail(message_id: str, length: int) -> bytes:
    line = ("Kính gửi các trường " * (length // 20 + 1)).encode()[:length]
    return post_mail(MEMBERS[0], message_id, body="Mở đầu\n" + line.decode("utf-8", "ignore"))


@pytest.mark.parametrize("length", [1_500, 2_048, 20_000], ids=lambda n: f"{n}-bytes")
def test_long_lines_are_taken_kept_and_exported_byte_exact(
    app: Flask,
    settings: Settings,
    server: Controller,
    thpt: MailingList,
    runner: FlaskCliRunner,
    tmp_path: Path,
    length: int,
) -> None:
    raw = _long_line_mail(f"long{length}@x", length).replace(b"\n", b"\r\n")
    send(settings, MEMBERS[0], ["thpt@example.org"], raw)  # was: 500 Line too long
    work(app, settings)
    stored = db.session.scalars(select(Message).where(Message.list_id == thpt.id)).one()
    assert max(len(line) for line in stored.raw.split(b"\r\n")) >= length - 4
    out = tmp_path / "thpt.mbox"
    assert runner.invoke(args=["export-mbox", "thpt", "-o", str(out)]).exit_code == 0
    with out.open("rb") as stream:
        assert list(iter_messages(stream)) == [stored.raw]


def test_a_line_longer_than_a_whole_message_gets_a_clear_permanent_answer(
    app: Flask, settings: Settings, server: Controller, thpt: MailingList
) -> None:
    raw = post_mail(MEMBERS[0], "huge-line@x", body="x" * (settings.max_message_bytes + 10))
    with smtplib.SMTP("127.0.0.1", settings.smtpd_port, timeout=30) as client:
        client.ehlo()
        client.mail(MEMBERS[0])  # without SIZE=, as a client that does not say may send
        client.rcpt("thpt@example.org")
        code, text = client.data(raw.replace(b"\n", b"\r\n"))
    assert code == 552
    assert text.startswith(b"5.6.0 A line is longer than")


def test_lmtp_takes_long_lines_too(
    app: Flask, thpt: MailingList, no_outbound_smtp: set[int]
) -> None:
    port = free_port()
    no_outbound_smtp.add(port)
    controller = start_server(app, port=port, lmtp=True)
    try:
        with smtplib.LMTP("127.0.0.1", port) as client:
            raw = _long_line_mail("lmtp-long@x", 4_000).replace(b"\n", b"\r\n")
            assert client.sendmail(MEMBERS[0], ["thpt@example.org"], raw) == {}
    finally:
        controller.stop()
