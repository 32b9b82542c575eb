"""`forum move-data`: a SQLite installation with mail in and out moved into an empty
PostgreSQL database, then the web archive, search and mail checked again on the copy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from archive.models import Message
from forum import create_app
from forum.extensions import db
from forum.mail.server import start_server
from forum.models import Delivery
from forum.search.indexing import reindex
from forum.settings import Settings
from tests.conftest import PG_URL, own_postgresql_database
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink, free_port

pytestmark = pytest.mark.skipif(PG_URL is None, reason="needs FORUM_TEST_DATABASE_URL")


@pytest.fixture
def target(database_url: str) -> Iterator[str]:
    if not database_url.startswith("sqlite"):
        pytest.skip("moves a SQLite installation")
    assert PG_URL is not None
    with own_postgresql_database(PG_URL) as url:
        yield url


@pytest.mark.usefixtures("server", "thpt")
def test_a_populated_installation_moves_and_works_on_the_copy(
    app: Flask,
    settings: Settings,
    sink: Sink,
    runner: FlaskCliRunner,
    target: str,
    no_outbound_smtp: set[int],
) -> None:
    runner.invoke(args=["init", "--domain", "example.org"])
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "p1@school.edu.vn"))
    reply = post_mail(
        MEMBERS[1], "p2@other.example", "Re: Lịch họp", in_reply_to="p1@school.edu.vn"
    )
    send(settings, MEMBERS[1], ["thpt@example.org"], reply)
    work(app, settings)
    assert len(sink.recipients()) == 8
    raws = sorted(db.session.scalars(select(Message.raw)))

    result = runner.invoke(args=["move-data", "--to", target, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "row counts agree; raw messages and files agree" in result.output
    assert f"FORUM_DATABASE_URL={target}" in result.output
    again = runner.invoke(args=["move-data", "--to", target, "--quiet"])
    assert again.exit_code != 0
    assert "holds data already" in again.output

    port = free_port()
    no_outbound_smtp.add(port)
    moved = settings.but(database_url=target, search_backend="postgres", smtpd_port=port)
    copy = create_app(moved)
    with copy.app_context():
        assert sorted(db.session.scalars(select(Message.raw))) == raws
        assert db.session.scalar(select(func.count(Delivery.id))) == 8
        assert reindex(db.session, moved) == 2
        client = copy.test_client()
        page = client.get("/lists/thpt/")
        assert page.status_code == 200
        assert "Lịch họp" in page.get_data(as_text=True)
        found = client.get("/search", query_string={"q": "lich hop", "lang": "en"})
        assert "2 messages found" in found.get_data(as_text=True)
        controller = start_server(copy, port=port)
        try:
            third = post_mail(MEMBERS[2], "p3@truong.edu.vn", "Re: Lịch họp")
            send(moved, MEMBERS[2], ["thpt@example.org"], third)
            work(copy, moved)
        finally:
            controller.stop()
        assert len(sink.recipients()) == 12  # new keys follow the copied ones: no clash
        assert db.session.scalar(select(func.count(Message.id))) == 3
        db.session.remove()
        db.engine.dispose()
