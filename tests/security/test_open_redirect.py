"""Finding 3 of issue 13: `next` and other redirect targets go only to a path on this site;
bad values fall back to "/", never a 500, and never spend the sign-in link."""

from __future__ import annotations

import re
from email import message_from_bytes

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from archive.models import MailingList
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.models import OutgoingMessage, SignInToken
from forum.views.redirects import local_target
from tests.web import csrf_token, sign_in_as_admin

MEMBER = "co.lan@truong.edu.vn"
# As a browser sends them in a query string or form (percent-encoded on the wire).
HOSTILE_TARGETS = [
    "/\t/evil.example",  # the issue's /%09/evil.example: browsers drop the tab
    "/%09/evil.example",
    "//evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%2F/evil.example",
    "/%252F%252Fevil.example",
    "/x\r\nSet-Cookie: a=b",
    "/x%0d%0aSet-Cookie: a=b",
    "/\nx",
    "/%0a",
    "/\x00",
    "evil.example",
    "",
    "/" + "a" * 5000,
]


def _short(target: str) -> str:
    return repr(target)[:40]


GOOD_TARGETS = ["/", "/lists/bimat/", "/lists/bimat/?page=2&sort=date", "/drafts/3/#dieu-5"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS, ids=_short)
def test_a_target_that_could_leave_the_site_falls_back(target: str) -> None:
    assert local_target(target) == "/"
    assert local_target(target, "/admin/") == "/admin/"


@pytest.mark.parametrize("target", GOOD_TARGETS)
def test_a_path_on_this_site_is_kept(target: str) -> None:
    assert local_target(target) == target


@pytest.fixture
def member(app: Flask) -> MailingList:
    mlist, _ = ensure_list(db.session(), ListSpec("bimat", "Nội bộ", ""), "example.org")
    add_member(db.session(), mlist, MEMBER)
    db.session.commit()
    return mlist


def _mailed_link() -> str:
    outgoing = db.session.scalars(select(OutgoingMessage)).all()[-1]
    payload = message_from_bytes(outgoing.raw).get_payload(decode=True)
    assert isinstance(payload, bytes)
    found = re.search(r"http://forum\.test(/signin/[0-9a-f]{40}\S*)", payload.decode())
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("target", HOSTILE_TARGETS, ids=_short)
def test_the_mailed_sign_in_link_never_leads_off_the_site(
    client: FlaskClient, member: MailingList, target: str
) -> None:
    data = {"email": MEMBER, "next": target, "csrf_token": csrf_token(client, "/signin")}
    assert client.post("/signin", data=data).status_code == 200
    link = _mailed_link()
    assert "evil" not in link
    assert client.get(link).status_code == 200
    response = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "query", ["%2F%09%2Fevil.example", "%0d%0a", "/x%0aLocation:%20//evil", "%2F%5Cevil"]
)
def test_a_bad_next_added_to_a_real_link_signs_in_and_goes_home(
    client: FlaskClient, member: MailingList, query: str
) -> None:
    data = {"email": MEMBER, "csrf_token": csrf_token(client, "/signin")}
    client.post("/signin", data=data)
    link = _mailed_link() + f"?next={query}"
    assert client.get(link).status_code == 200  # was a 500 for %0d%0a
    response = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    token = db.session.scalars(select(SignInToken)).one()
    assert token.used_at is not None  # spent by the request that signed in, which succeeded
    assert client.get("/me/").status_code == 200


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/x%0d%0aA: b"])
def test_the_admin_sign_in_ignores_a_bad_next(
    client: FlaskClient, runner: FlaskCliRunner, target: str
) -> None:
    sign_in_as_admin(client, runner)
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/")})
    token = csrf_token(client, "/admin/login")
    data = {"email": "admin@example.org", "password": "correct horse battery staple"}
    response = client.post(f"/admin/login?next={target}", data={**data, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
