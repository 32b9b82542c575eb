"""Helpers for tests that use the site like a person: CSRF tokens from forms, signing in."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from archive.models import MailingList
from forum.extensions import db
from forum.lists.members import add_member
from forum.mail.delivery import transport_for
from forum.models import Account
from forum.runner import work_once
from forum.settings import Settings
from tests.smtp_sink import Sink

ADMIN_PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_SIGN_IN_LINK = re.compile(r"http://forum\.test(/signin/[0-9a-f]{40})")


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the first form on the page at `path`."""
    found = _TOKEN.search(client.get(path).get_data(as_text=True))
    assert found is not None, f"no form on {path}"
    return found.group(1)


def deliver(app: Flask, settings: Settings) -> None:
    """One worker round: the pipeline, then delivery to the test's smarthost."""
    transport = transport_for(settings)
    try:
        work_once(app, transport)
    finally:
        transport.close()


def sign_in_by_link(
    app: Flask, settings: Settings, sink: Sink, client: FlaskClient, email: str
) -> None:
    """Ask for a sign-in link, take it from the mail the sink received, and follow it."""
    client.post("/signin", data={"email": email, "csrf_token": csrf_token(client, "/signin")})
    deliver(app, settings)
    link = _SIGN_IN_LINK.search(sink.for_recipient(email)[-1].text)
    assert link is not None, "no sign-in link in the mail"
    client.post(link.group(1), data={"csrf_token": csrf_token(client, link.group(1))})


def sign_in_as_admin(client: FlaskClient, runner: FlaskCliRunner) -> None:
    """The site admin that `forum init` creates, with a password set on the command line."""
    runner.invoke(args=["init", "--domain", "example.org"])
    runner.invoke(
        args=["set-password", "admin@example.org"], input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n"
    )
    token = csrf_token(client, "/admin/login")
    data = {"email": "admin@example.org", "password": ADMIN_PASSWORD, "csrf_token": token}
    client.post("/admin/login", data=data)


def signed_in_as(client: FlaskClient, email: str, mlist: MailingList | None) -> None:
    """A signed-in account (a member of `mlist` when one is given), without the mailed link:
    for tests about what a signed-in person may see, not about signing in."""
    account = Account(email=email)
    db.session.add(account)
    if mlist is not None:
        add_member(db.session, mlist, email)
    db.session.commit()
    with client.session_transaction() as browser_session:
        browser_session["account_id"] = account.id
