"""A member whose address is on the lists' own domain never gets mail: the mail server hands it
back to the forum, which refuses it. Adding one warns (CLI, web, CSV import)."""

from __future__ import annotations

import re

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from archive.models import MailingList
from forum.extensions import db
from forum.lists.members import add_member
from forum.models import Delivery
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.integration.test_admin import PASSWORD, _sign_in, _token, admin  # noqa: F401

OWN = "demo@example.org"  # the lists live at example.org
BASE = "/admin/lists/thpt/members/"


def test_the_cli_warns(thpt: MailingList, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["add-member", "thpt", OWN])
    assert result.exit_code == 0
    assert "lists' own domain" in result.stderr
    other = runner.invoke(args=["add-member", "thpt", "lan@truong.edu.vn"])
    assert "own domain" not in other.output


def test_the_web_form_and_the_csv_preview_warn(
    thpt: MailingList,
    client: FlaskClient,
    admin: str,  # noqa: F811
) -> None:
    assert _sign_in(client, admin, PASSWORD) == 302
    client.set_cookie("lang", "en")
    data = {"csrf_token": _token(client, BASE), "email": OWN, "mode": "add", "role": "member"}
    page = client.post(f"{BASE}add", data=data, follow_redirects=True).get_data(as_text=True)
    assert "lists&#39; own domain" in page
    data = {"csrf_token": _token(client, BASE), "csv": f"{OWN}\nlan@truong.edu.vn\n"}
    preview = client.post(f"{BASE}import", data=data, content_type="multipart/form-data")
    text = preview.get_data(as_text=True)
    assert re.search(r"demo@example\.org: on the lists&#39; own domain", text)
    assert "lan@truong.edu.vn:" not in text


def test_such_a_member_is_refused_when_the_mail_server_hands_the_copy_back(
    app: Flask, settings: Settings, server: Controller, thpt: MailingList
) -> None:
    add_member(db.session(), thpt, OWN)
    db.session.commit()
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "own@x"))
    # A mail server with the whole domain routed to the forum hands the copy back to it.
    work(app, settings.but(smtp_url=f"smtp://127.0.0.1:{settings.smtpd_port}"))
    copy = db.session.scalars(select(Delivery).where(Delivery.recipient == OWN)).one()
    assert copy.state == "failed"
    assert "550" in copy.last_error
