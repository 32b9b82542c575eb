"""A list's owners, signed in by a mailed link, run its members pages and reach its moderation
queue; its moderators, its members and the owners of other lists cannot manage its members."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import MailingList
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member, find_member
from forum.models import Member
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_by_link

OWNER = "owner@so.example"
MODERATOR = "kiemduyet@so.example"
OTHER_OWNER = "chuquan@thcs.example"
BASE = "/admin/lists/thpt/members/"


def _more_roles(thpt: MailingList) -> None:
    add_member(db.session(), thpt, MODERATOR, role="moderator")
    thcs, _ = ensure_list(db.session(), ListSpec("thcs", "THCS", ""), "example.org")
    add_member(db.session(), thcs, OTHER_OWNER, role="owner")
    db.session.commit()


def test_an_owner_signed_in_by_link_manages_the_members(
    app: Flask, settings: Settings, sink: Sink, thpt: MailingList, client: FlaskClient
) -> None:
    assert client.get(BASE).headers["Location"].startswith("/signin")
    sign_in_by_link(app, settings, sink, client, OWNER)
    client.set_cookie("lang", "en")

    page = client.get(BASE).get_data(as_text=True)
    assert all(email in page for email in MEMBERS)
    assert "Administration" not in page  # the site admin's pages are not theirs
    data = {"csrf_token": csrf_token(client, BASE), "email": "moi@truong.edu.vn", "role": "member"}
    data.update({"name": "Cô Mới", "unit": "THPT Chu Văn An", "mode": "add"})
    assert client.post(f"{BASE}add", data=data).status_code == 302
    added = find_member(db.session(), thpt, "moi@truong.edu.vn")
    assert added is not None
    assert added.unit == "THPT Chu Văn An"
    assert "moi@truong.edu.vn" in client.get(f"{BASE}export.csv").get_data(as_text=True)

    list_page = client.get("/lists/thpt/").get_data(as_text=True)
    assert BASE in list_page
    assert "/moderation/thpt/" in list_page
    profile = client.get("/me/").get_data(as_text=True)
    assert BASE in profile
    assert "/moderation/thpt/" in profile
    assert client.get("/moderation/thpt/").status_code == 200


def test_moderators_members_and_other_owners_cannot_manage_the_members(
    app: Flask, settings: Settings, sink: Sink, thpt: MailingList, client: FlaskClient
) -> None:
    _more_roles(thpt)
    target = db.session.scalars(select(Member.id).where(Member.role == "member")).first()
    for email in (MODERATOR, MEMBERS[0], OTHER_OWNER):
        sign_in_by_link(app, settings, sink, client, email)
        assert client.get(BASE).status_code == 403
        assert client.get(f"{BASE}export.csv").status_code == 403
        token = csrf_token(client, "/me/")
        data = {"csrf_token": token, "email": "x@truong.vn", "role": "owner", "mode": "add"}
        assert client.post(f"{BASE}add", data=data).status_code == 403
        removal = client.post(f"{BASE}{target}/remove", data={"csrf_token": token})
        assert removal.status_code == 403
        list_page = client.get("/lists/thpt/").get_data(as_text=True)
        assert BASE not in list_page
        moderation_link = "/moderation/thpt/" in list_page
        assert moderation_link == (email == MODERATOR)
    assert find_member(db.session(), thpt, "x@truong.vn") is None
    assert db.session.get(Member, target) is not None
    assert re.search(r"/moderation/thcs/", client.get("/lists/thcs/").get_data(as_text=True))
