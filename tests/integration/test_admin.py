"""The site admin: password set on the command line, sign-in with CSRF and rate limits, and
the pages that show the inbound queue and per-recipient delivery status."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, update

from forum.accounts.accounts import find_account
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.mail.inbound import enqueue_inbound
from forum.mail.outbox import enqueue
from forum.models import Delivery, InboundMessage
from tests.mail import raw_mail

PASSWORD = "correct horse battery staple"


def _token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


@pytest.fixture
def admin(runner: FlaskCliRunner) -> str:
    result = runner.invoke(args=["init", "--domain", "example.org"])
    assert "forum set-password admin@example.org" in result.output
    result = runner.invoke(
        args=["set-password", "admin@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    return "admin@example.org"


def _sign_in(client: FlaskClient, email: str, password: str, next_path: str = "") -> int:
    token = _token(client, "/admin/login")
    response = client.post(
        f"/admin/login{next_path}",
        data={"email": email, "password": password, "csrf_token": token},
    )
    return response.status_code


def test_a_short_password_is_refused(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["init", "--domain", "example.org"])
    result = runner.invoke(args=["set-password", "admin@example.org"], input="short\nshort\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output


def test_admin_pages_need_the_admin_to_sign_in(client: FlaskClient, admin: str) -> None:
    assert client.get("/admin/").status_code == 302
    assert _sign_in(client, admin, "wrong password!!") == 401
    token = _token(client, "/admin/login")
    again = client.post(
        "/admin/login", data={"email": admin, "password": "nope", "csrf_token": token}
    )
    assert f'value="{admin}"' in again.text  # the address is kept, the password is not
    assert _sign_in(client, admin, PASSWORD) == 302
    assert client.get("/admin/").status_code == 200
    token = _token(client, "/admin/")
    client.post("/admin/logout", data={"csrf_token": token})
    assert client.get("/admin/").status_code == 302


def test_forms_without_the_csrf_token_are_refused(client: FlaskClient, admin: str) -> None:
    response = client.post("/admin/login", data={"email": admin, "password": PASSWORD})
    assert response.status_code == 400


def test_repeated_failures_are_rate_limited(client: FlaskClient, admin: str) -> None:
    codes = [_sign_in(client, admin, f"guess number {i}") for i in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    assert _sign_in(client, admin, PASSWORD) == 429  # even the right password, for a while


def test_sign_in_never_redirects_off_site(client: FlaskClient, admin: str) -> None:
    token = _token(client, "/admin/login")
    response = client.post(
        "/admin/login?next=//evil.example/",
        data={"email": admin, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/"


def test_delivery_status_per_recipient_and_failed_inbound_retry(
    app: Flask, client: FlaskClient, admin: str
) -> None:
    mlist, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), "example.org")
    outgoing = enqueue(
        db.session(),
        raw_mail("status@x"),
        [("a@x.example", "b@example.org"), ("b@x.example", "b@example.org")],
        list_id=mlist.id,
        subject="Lịch họp",
    )
    db.session.execute(
        update(Delivery)
        .where(Delivery.recipient == "b@x.example")
        .values(state="failed", last_error="550 5.1.1 no such user")
    )
    item_id = enqueue_inbound(db.session(), raw_mail("broken@x"), "x@y", ["thpt@example.org"])
    db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == item_id)
        .values(state="failed", error="boom")
    )
    db.session.commit()
    assert _sign_in(client, admin, PASSWORD) == 302
    index = client.get("/admin/").get_data(as_text=True)
    assert "Lịch họp" in index
    failed = client.get(f"/admin/outgoing/{outgoing.id}/?state=failed").get_data(as_text=True)
    assert "b@x.example" in failed
    assert "550 5.1.1 no such user" in failed
    assert "a@x.example" not in failed
    client.post(f"/admin/inbound/{item_id}/retry", data={"csrf_token": _token(client, "/admin/")})
    db.session.expire_all()
    assert db.session.scalars(select(InboundMessage.state)).one() == "queued"
    assert find_account(db.session(), admin) is not None
