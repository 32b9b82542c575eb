"""Sign-in by a mailed single-use link, and private archives for members only."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from archive.db import utcnow
from archive.models import MailingList
from archive.store import store
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.models import Account, OutgoingMessage, SignInToken
from tests.mail import raw_mail
from tests.web import csrf_token

MEMBER = "co.lan@truong.edu.vn"


def _link(outgoing: OutgoingMessage) -> str:
    message = message_from_bytes(outgoing.raw)
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    found = re.search(r"http://forum\.test(/signin/[0-9a-f]{40}\S*)", payload.decode())
    assert found is not None
    return found.group(1)


@pytest.fixture
def private_list(app: Flask) -> MailingList:
    mlist, _ = ensure_list(db.session(), ListSpec("bimat", "Nội bộ", ""), "example.org")
    mlist.is_private = True
    add_member(db.session(), mlist, MEMBER)
    store(db.session(), raw_mail("private1@x", subject="Chỉ cho thành viên"), mlist.id)
    db.session.commit()
    return mlist


def _request_link(client: FlaskClient, email: str, next_path: str = "") -> int:
    data = {"email": email, "csrf_token": csrf_token(client, "/signin"), "next": next_path}
    return client.post("/signin", data=data).status_code


def test_a_member_signs_in_with_a_single_use_link_and_reads_the_private_archive(
    client: FlaskClient, private_list: MailingList
) -> None:
    assert client.get("/lists/bimat/").status_code == 404
    assert _request_link(client, MEMBER, "/lists/bimat/") == 200
    outgoing = db.session.query(OutgoingMessage).one()
    link = _link(outgoing)
    assert client.get(link).status_code == 200  # a scanner's GET signs nobody in
    assert client.get("/lists/bimat/").status_code == 404
    response = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/lists/bimat/"
    page = client.get("/lists/bimat/")
    assert page.status_code == 200
    assert "Chỉ cho thành viên" in page.get_data(as_text=True)
    client.post("/signout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/lists/bimat/").status_code == 404
    again = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert again.status_code == 400  # single use


def test_an_expired_link_does_not_sign_in(client: FlaskClient, private_list: MailingList) -> None:
    _request_link(client, MEMBER)
    link = _link(db.session.query(OutgoingMessage).one())
    db.session.execute(update(SignInToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 400


def test_strangers_get_the_same_answer_and_no_mail(
    client: FlaskClient, private_list: MailingList
) -> None:
    assert _request_link(client, "stranger@example.com") == 200
    assert db.session.query(OutgoingMessage).count() == 0


def test_sign_in_requests_are_rate_limited(client: FlaskClient, private_list: MailingList) -> None:
    codes = [_request_link(client, MEMBER) for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_a_non_member_cannot_read_a_private_archive(
    client: FlaskClient, private_list: MailingList, app: Flask
) -> None:
    other, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), "example.org")
    add_member(db.session(), other, "bob@other.example")
    db.session.commit()
    _request_link(client, "bob@other.example")
    link = _link(db.session.query(OutgoingMessage).one())
    client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert client.get("/lists/bimat/").status_code == 404
    assert client.get("/lists/bimat/feed.atom").status_code == 404
    assert client.get("/lists/thpt/").status_code == 200


def test_a_member_signing_in_is_known_by_the_name_the_list_has(
    client: FlaskClient, private_list: MailingList
) -> None:
    add_member(db.session(), private_list, "co.lan@truong.edu.vn", display_name="Cô Lan")
    db.session.commit()
    _request_link(client, "co.lan@truong.edu.vn")
    link = _link(db.session.query(OutgoingMessage).one())
    client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert 'value="Cô Lan"' in client.get("/me/").get_data(as_text=True)
    account = db.session.scalars(select(Account).where(Account.email == "co.lan@truong.edu.vn"))
    assert account.one().display_name == "Cô Lan"


def test_the_sign_in_mail_subject_keeps_its_spaces(
    client: FlaskClient, private_list: MailingList
) -> None:
    _request_link(client, MEMBER)
    raw = db.session.query(OutgoingMessage).one().raw
    subject = message_from_bytes(raw, policy=policy.default)["Subject"]
    assert subject == "Đường dẫn đăng nhập Diễn đàn của bạn / Your sign-in link for Diễn đàn"
