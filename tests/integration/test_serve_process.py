"""`forum serve` as a real process: the web archive through a production WSGI server, mail
through its SMTP server, one log line per inbound message, and a clean stop on SIGTERM."""

from __future__ import annotations

import signal
import smtplib
import time
import urllib.request
from http.client import HTTPResponse
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.models import InboundMessage
from forum.settings import Settings
from tests.mail import raw_mail
from tests.processes import forum_process
from tests.smtp_sink import free_port


def _wait_for(url: str, timeout: float) -> HTTPResponse:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own loopback server
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_answers_web_and_mail_and_stops_on_sigterm(
    app: Flask, settings: Settings, tmp_path: Path, no_outbound_smtp: set[int]
) -> None:
    mlist, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), settings.domain)
    add_member(db.session(), mlist, "an@school.edu.vn")
    db.session.commit()
    web_port, smtp_port = free_port(), free_port()
    no_outbound_smtp.add(smtp_port)
    log = tmp_path / "serve.log"
    serve = forum_process(
        settings,
        log,
        "serve",
        FORUM_WEB_PORT=str(web_port),
        FORUM_SMTPD_PORT=str(smtp_port),
        FORUM_WEB_THREADS="2",
        FORUM_LOG_LEVEL="INFO",
    )
    try:
        page = _wait_for(f"http://127.0.0.1:{web_port}/lists/thpt/", timeout=30)
        assert page.status == 200
        assert page.headers["Server"] == "forum"  # waitress, not Werkzeug's development server
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as client:
            client.sendmail(
                "an@school.edu.vn",
                ["thpt@example.org"],
                raw_mail("served@school", sender="an@school.edu.vn"),
            )
        deadline = time.monotonic() + 30
        while "inbound" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        started = time.monotonic()
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(timeout=20)
    text = log.read_text()
    assert code == 0, text
    assert time.monotonic() - started < 10, text  # stops within a few seconds
    assert "development server" not in text
    assert "forum.posting.pipeline: inbound" in text  # one line per inbound message
    db.session.rollback()
    assert db.session.scalars(select(InboundMessage.state)).all() == ["done"]
