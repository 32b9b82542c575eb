"""Fixtures for mail tests: a real SMTP sink as smarthost, our SMTP server, the `thpt` list."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from archive.models import MailingList
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.mail.delivery import transport_for
from forum.mail.dmarc import DmarcCache
from forum.mail.server import start_server
from forum.runner import work_once
from forum.settings import Settings
from tests.mail import raw_mail
from tests.smtp_sink import Sink, free_port

MEMBERS = ["alice@school.edu.vn", "bob@other.example", "chi@truong.edu.vn"]


@pytest.fixture
def sink(no_outbound_smtp: set[int]) -> Iterator[Sink]:
    server = Sink().start()
    no_outbound_smtp.add(server.port)
    yield server
    server.stop()


@pytest.fixture
def settings(
    settings: Settings, database_url: str, sink: Sink, no_outbound_smtp: set[int]
) -> Settings:
    port = free_port()
    no_outbound_smtp.add(port)
    return settings.but(
        smtp_url=sink.url, smtpd_port=port, max_message_bytes=300_000, retry_base_seconds=0
    )


@pytest.fixture
def thpt(app: Flask) -> MailingList:
    mlist, _ = ensure_list(
        db.session(), ListSpec("thpt", "Trung học phổ thông", "", ("dangky-THPT",)), "example.org"
    )
    for email in MEMBERS:
        add_member(db.session(), mlist, email)
    add_member(db.session(), mlist, "owner@so.example", role="owner")
    db.session.commit()
    return mlist


@pytest.fixture
def server(app: Flask, settings: Settings) -> Iterator[Controller]:
    controller = start_server(app, port=settings.smtpd_port)
    yield controller
    controller.stop()


def send(settings: Settings, sender: str, recipients: list[str], raw: bytes) -> None:
    wire = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # SMTP lines end in CRLF
    with smtplib.SMTP("127.0.0.1", settings.smtpd_port, timeout=10) as client:
        client.sendmail(sender, recipients, wire)


def work(app: Flask, settings: Settings, policies: DmarcCache | None = None) -> None:
    transport = transport_for(settings)
    try:
        work_once(app, transport, policies)
    finally:
        transport.close()
    db.session.expire_all()


LETTER = "Kính gửi các trường,\nLịch họp tháng 12 gửi kèm theo đây.\n" * 40  # > one SMTP line


def post_mail(sender: str, mid: str, subject: str = "Lịch họp tháng 12", **extra: str) -> bytes:
    extra.setdefault("body", LETTER)
    return raw_mail(mid, sender=sender, subject=subject, to="thpt@example.org", **extra)
