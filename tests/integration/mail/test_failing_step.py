"""A pipeline step that fails loses nothing: the message stays in the inbound queue as failed,
with its error, shown to the site admin and by `forum inbound`, and goes through once retried.
The failure is a real one: the database refuses to store archived messages (as a full disk or
a broken constraint would) until the test lets it again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, text

from archive.models import Message
from forum.extensions import db
from forum.models import InboundMessage
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_as_admin

REFUSAL = "archive refused by the database"
SQLITE_TRIGGER = (
    "CREATE TRIGGER refuse_archive BEFORE INSERT ON message "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
)
POSTGRES_FUNCTION = (
    "CREATE FUNCTION refuse_archive() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
)
POSTGRES_TRIGGER = (
    "CREATE TRIGGER refuse_archive BEFORE INSERT ON message "
    "FOR EACH ROW EXECUTE FUNCTION refuse_archive()"
)


@pytest.fixture
def refusing_archive(app: Flask) -> Iterator[None]:
    """Make the database refuse new archived messages until the fixture's caller drops it."""
    postgres = db.engine.dialect.name == "postgresql"
    statements = [POSTGRES_FUNCTION, POSTGRES_TRIGGER] if postgres else [SQLITE_TRIGGER]
    for statement in statements:
        db.session.execute(text(statement))
    db.session.commit()
    yield
    _allow_archive()


def _allow_archive() -> None:
    db.session.rollback()
    db.session.execute(text("DROP TRIGGER IF EXISTS refuse_archive" + _on_message()))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP FUNCTION IF EXISTS refuse_archive()"))
    db.session.commit()


def _on_message() -> str:
    return " ON message" if db.engine.dialect.name == "postgresql" else ""


@pytest.mark.usefixtures("server", "thpt", "refusing_archive")
def test_a_failing_step_keeps_the_message_until_it_is_retried(
    app: Flask, settings: Settings, sink: Sink, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "fail@x", "Kế hoạch"))
    work(app, settings)
    item = db.session.scalars(select(InboundMessage)).one()
    assert item.state == "failed"
    assert REFUSAL in item.error
    assert b"Message-ID: <fail@x>" in item.raw
    assert db.session.scalar(select(Message.id)) is None
    assert sink.recipients() == []
    work(app, settings)  # a failed message is not taken again by itself
    assert db.session.get(InboundMessage, item.id).state == "failed"  # type: ignore[union-attr]

    listing = runner.invoke(args=["inbound"]).output
    assert f"{item.id:>6} failed" in listing
    assert REFUSAL in listing
    sign_in_as_admin(client, runner)
    admin_page = client.get("/admin/").get_data(as_text=True)
    assert REFUSAL in admin_page
    assert f"/admin/inbound/{item.id}/retry" in admin_page

    _allow_archive()
    token = csrf_token(client, "/admin/")
    assert client.post(f"/admin/inbound/{item.id}/retry", data={"csrf_token": token}).status_code
    db.session.expire_all()
    assert db.session.get(InboundMessage, item.id).state == "queued"  # type: ignore[union-attr]
    work(app, settings)
    assert db.session.get(InboundMessage, item.id).state == "done"  # type: ignore[union-attr]
    assert db.session.scalars(select(Message.subject)).all() == ["Kế hoạch"]
    assert sorted(sink.recipients()) == sorted([*MEMBERS, "owner@so.example"])
