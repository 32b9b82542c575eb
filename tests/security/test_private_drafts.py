"""Finding 2 of issue 13: drafts, their comments and reports follow their target lists'
privacy; a draft for several lists is readable by readers of any of them."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from archive.models import MailingList
from forum.drafting.models import DraftDocument
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from tests.integration.mail.conftest import MEMBERS
from tests.web import csrf_token, sign_in_as_admin, signed_in_as

INSIDER = "can.bo@so.example"  # a member of the private group only
SECRET_TITLE = "Dự thảo quy chế nội bộ"
SHARED_TITLE = "Dự thảo thông tư chung"
TEXT = "Điều 1. Phạm vi\n1. Nội dung khoản một.\n\nĐiều 2. Hiệu lực\nThông tư có hiệu lực."
PRIVATE_COMMENT = "Ý kiến riêng của nhóm nội bộ về Điều 1"


@pytest.fixture
def noibo(app: Flask) -> MailingList:
    mlist, _ = ensure_list(db.session(), ListSpec("noibo", "Nội bộ", ""), "example.org")
    mlist.is_private = True
    add_member(db.session(), mlist, INSIDER)
    db.session.commit()
    return mlist


def _publish(client: FlaskClient, title: str, lists: list[MailingList]) -> int:
    data = {
        "csrf_token": csrf_token(client, "/drafts/new"),
        "title": title,
        "unit": "Văn phòng Sở",
        "deadline": "2099-12-31",
        "lists": [str(m.id) for m in lists],
        "file": (io.BytesIO(TEXT.encode()), "du-thao.txt"),
    }
    response = client.post("/drafts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    found = db.session.scalars(select(DraftDocument).where(DraftDocument.title == title)).one()
    return found.id


@pytest.fixture
def drafts(
    app: Flask, runner: FlaskCliRunner, thpt: MailingList, noibo: MailingList
) -> tuple[int, int]:
    """(a draft for the private group only, a draft for the public and the private group)"""
    admin = app.test_client()
    sign_in_as_admin(admin, runner)
    return _publish(admin, SECRET_TITLE, [noibo]), _publish(admin, SHARED_TITLE, [thpt, noibo])


def _reader(app: Flask, email: str | None) -> FlaskClient:
    client = app.test_client()
    if email is not None:
        signed_in_as(client, email, None)
    return client


@pytest.mark.parametrize("who", [None, MEMBERS[1]], ids=["stranger", "public-member"])
def test_a_private_groups_draft_is_hidden_from_those_outside_it(
    app: Flask, drafts: tuple[int, int], who: str | None
) -> None:
    secret, shared = drafts
    reader = _reader(app, who)
    listing = reader.get("/drafts/").get_data(as_text=True)
    assert SECRET_TITLE not in listing  # was listed to anyone
    assert SHARED_TITLE in listing
    assert SECRET_TITLE not in reader.get("/drafts/?list=noibo").get_data(as_text=True)
    for page in ("", "report", "report.csv", "report.docx"):
        assert reader.get(f"/drafts/{secret}/{page}").status_code == 404  # was 200 with text
    assert reader.get(f"/drafts/{shared}/").status_code == 200


def test_a_member_of_any_target_group_reads_the_draft(app: Flask, drafts: tuple[int, int]) -> None:
    secret, shared = drafts
    insider = _reader(app, INSIDER)
    listing = insider.get("/drafts/").get_data(as_text=True)
    assert SECRET_TITLE in listing
    assert SHARED_TITLE in listing
    assert "Nội dung khoản một" in insider.get(f"/drafts/{secret}/").get_data(as_text=True)
    assert insider.get(f"/drafts/{shared}/").status_code == 200
    assert insider.get(f"/drafts/{secret}/report").status_code == 403  # managers only


def test_a_comment_made_in_a_private_group_stays_with_its_readers(
    app: Flask, drafts: tuple[int, int]
) -> None:
    _secret, shared = drafts
    insider = _reader(app, INSIDER)
    page = f"/drafts/{shared}/"
    data = {"text": PRIVATE_COMMENT, "anchor": "dieu-1", "csrf_token": csrf_token(insider, page)}
    assert insider.post(f"/drafts/{shared}/comment", data=data).status_code == 302
    assert PRIVATE_COMMENT in insider.get(page).get_data(as_text=True)
    for outsider in (_reader(app, None), _reader(app, MEMBERS[1])):
        shown = outsider.get(page)
        assert shown.status_code == 200
        assert PRIVATE_COMMENT not in shown.get_data(as_text=True)
    search = _reader(app, None).get("/search?q=nhóm+nội+bộ").get_data(as_text=True)
    assert PRIVATE_COMMENT not in search


def test_the_drafting_body_sees_every_comment_in_its_report(
    app: Flask, runner: FlaskCliRunner, drafts: tuple[int, int]
) -> None:
    _secret, shared = drafts
    insider = _reader(app, INSIDER)
    page = f"/drafts/{shared}/"
    data = {"text": PRIVATE_COMMENT, "anchor": "dieu-1", "csrf_token": csrf_token(insider, page)}
    insider.post(f"/drafts/{shared}/comment", data=data)
    admin = app.test_client()
    sign_in_as_admin(admin, runner)
    assert PRIVATE_COMMENT in admin.get(page).get_data(as_text=True)
    assert PRIVATE_COMMENT in admin.get(f"/drafts/{shared}/report.csv").get_data(as_text=True)


def test_a_comment_anchor_with_a_line_break_does_not_break_the_redirect(
    app: Flask, drafts: tuple[int, int]
) -> None:
    _secret, shared = drafts
    insider = _reader(app, INSIDER)
    page = f"/drafts/{shared}/"
    data = {"text": "", "anchor": "x\r\nSet-Cookie: a=b", "csrf_token": csrf_token(insider, page)}
    response = insider.post(f"/drafts/{shared}/comment", data=data)
    assert response.status_code == 302  # was a 500
    assert response.headers["Location"] == page
