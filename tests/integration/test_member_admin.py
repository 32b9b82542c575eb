"""The owners' member pages, through the test client with real CSRF tokens: search and
filters, add/edit/remove, a 1,000-member CSV import, errors by line, and a safe export."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from archive.models import MailingList
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member, find_member
from forum.lists.roster import parse_member_csv
from forum.models import Delivery, Member, PendingRequest
from tests.integration.test_admin import PASSWORD, _sign_in, _token, admin  # noqa: F401

BASE = "/admin/lists/thpt/members/"


@pytest.fixture
def mlist(app: Flask) -> MailingList:
    created, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), "example.org")
    db.session.commit()
    return created


@pytest.fixture
def signed_in(client: FlaskClient, admin: str, mlist: MailingList) -> FlaskClient:  # noqa: F811
    assert _sign_in(client, admin, PASSWORD) == 302
    client.set_cookie("lang", "en")  # the assertions below read English page text
    return client


def _emails(page: str) -> set[str]:
    """The member addresses in the list page's table."""
    return set(re.findall(r"<td>([^<>\s]+@[^<>\s]+)</td>", page))


def _get(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _preview(client: FlaskClient, text: str, as_file: bool = False) -> str:
    data: dict[str, object] = {"csrf_token": _token(client, BASE)}
    if as_file:
        data["file"] = (io.BytesIO(("\ufeff" + text).encode()), "thanh-vien.csv")
    else:
        data["csv"] = text
    response = client.post(f"{BASE}import", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _confirm(client: FlaskClient, preview: str, mode: str = "add") -> dict[str, int]:
    hidden = re.search(r'name="csv" value="([^"]*)"', preview)
    assert hidden is not None
    token = re.search(r'name="csrf_token" value="([^"]+)"', preview)
    assert token is not None
    response = client.post(
        f"{BASE}import/confirm",
        data={"csrf_token": token.group(1), "csv": html.unescape(hidden.group(1)), "mode": mode},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    counts = re.findall(r'<td class="(added|already|invited|failed)">(\d+)</td>', page)
    return {key: int(value) for key, value in counts}


def _member_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Member)) or 0


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient, mlist: MailingList) -> None:
    for path in (BASE, f"{BASE}export.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/signin")
    token = _token(client, "/admin/login")
    response = client.post(f"{BASE}add", data={"csrf_token": token, "email": "x@truong.vn"})
    assert response.status_code == 302
    assert _member_count() == 0


def test_search_and_filters_narrow_the_list(signed_in: FlaskClient, mlist: MailingList) -> None:
    s = db.session()
    lan, _ = add_member(s, mlist, "lan@truong-a.edu.vn", "Nguyễn Thị Lan", "owner")
    lan.is_focal_point, lan.unit = True, "THPT Chu Văn An"
    binh, _ = add_member(s, mlist, "binh@truong-b.edu.vn", "Trần Bình", "moderator")
    binh.unit, binh.delivery_mode = "THCS Láng", "digest"
    cuong, _ = add_member(s, mlist, "cuong@x.vn", "Cường")
    cuong.delivery_enabled, cuong.bounce_score = False, 7.5
    dung, _ = add_member(s, mlist, "dung_x@x.vn", "Dũng")
    dung.delivery_mode = "none"
    db.session.commit()
    everyone = {"lan@truong-a.edu.vn", "binh@truong-b.edu.vn", "cuong@x.vn", "dung_x@x.vn"}

    def shown(query: str) -> set[str]:
        return _emails(_get(signed_in, f"{BASE}?{query}"))

    assert shown("") == everyone
    assert shown("q=lan") == {"lan@truong-a.edu.vn", "binh@truong-b.edu.vn"}  # Lan, THCS Láng
    assert shown("q=Trần") == {"binh@truong-b.edu.vn"}
    assert shown("q=tran+binh") == shown("q=TRẦN") == {"binh@truong-b.edu.vn"}  # any case, marks
    assert shown("q=thi+lan") == {"lan@truong-a.edu.vn"}
    assert shown("q=lang") == {"binh@truong-b.edu.vn"}  # the unit, THCS Láng
    assert shown("q=thcs") == {"binh@truong-b.edu.vn"}
    assert shown("q=g_x") == {"dung_x@x.vn"}  # "_" is a letter here, not a LIKE wildcard
    assert shown("q=%25") == set()
    assert shown("role=owner") == shown("role=focal") == {"lan@truong-a.edu.vn"}
    assert shown("role=moderator") == {"binh@truong-b.edu.vn"}
    assert shown("status=disabled") == {"cuong@x.vn"}
    assert shown("status=digest") == {"binh@truong-b.edu.vn"}
    assert shown("status=nomail") == {"dung_x@x.vn"}
    assert shown("status=active") == {"lan@truong-a.edu.vn"}
    assert shown("min_bounce=5") == {"cuong@x.vn"}
    assert shown("role=chief&status=bogus&min_bounce=nan") == everyone


def test_add_edit_and_remove_a_member(signed_in: FlaskClient, mlist: MailingList) -> None:
    token = _token(signed_in, BASE)
    form = {"csrf_token": token, "email": "Hoa@Truong-B.EDU.vn", "name": "Phạm Hoa"}
    form |= {"unit": "THPT B", "role": "moderator", "focal": "1", "mode": "add"}
    assert signed_in.post(f"{BASE}add", data=form).status_code == 302
    member = find_member(db.session(), mlist, "hoa@truong-b.edu.vn")
    assert member is not None
    assert (member.role, member.is_focal_point, member.unit) == ("moderator", True, "THPT B")
    assert "Hoa@truong-b.edu.vn" in _get(signed_in, BASE)

    again = signed_in.post(f"{BASE}add", data=form, follow_redirects=True)
    assert "Hoa@truong-b.edu.vn" in again.get_data(as_text=True)
    assert _member_count() == 1
    bad = signed_in.post(f"{BASE}add", data=form | {"email": "hoa@"})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert 'class="flash error"' in page
    assert 'value="Phạm Hoa"' in page  # what was typed is kept
    assert 'value="THPT B"' in page
    assert _member_count() == 1
    assert "data-confirm=" in page  # removing asks first

    edit = {"csrf_token": token, "role": "owner", "unit": "Sở GD", "delivery_mode": "digest"}
    assert signed_in.post(f"{BASE}{member.id}", data=edit).status_code == 302
    db.session.expire_all()
    assert (member.role, member.is_focal_point, member.unit) == ("owner", False, "Sở GD")
    assert member.delivery_mode == "digest"
    assert signed_in.post(f"{BASE}{member.id}", data=edit | {"role": "chief"}).status_code == 400
    assert signed_in.post(f"{BASE}{member.id + 99}", data=edit).status_code == 404

    removed = signed_in.post(f"{BASE}{member.id}/remove", data={"csrf_token": token})
    assert removed.status_code == 302
    assert _member_count() == 0
    assert signed_in.post(f"{BASE}add", data=form | {"csrf_token": ""}).status_code == 400


def test_a_line_break_in_a_form_field_is_refused(
    signed_in: FlaskClient, mlist: MailingList
) -> None:
    token = _token(signed_in, BASE)
    form = {"csrf_token": token, "email": "hoa@truong.vn", "name": "Hoa\r\nBcc: all@x.vn"}
    assert signed_in.post(f"{BASE}add", data=form).status_code == 400
    assert _member_count() == 0
    member, _ = add_member(db.session(), mlist, "hoa@truong.vn")
    db.session.commit()
    edit = {"csrf_token": token, "role": "member", "unit": "A\nB", "delivery_mode": "all"}
    assert signed_in.post(f"{BASE}{member.id}", data=edit).status_code == 400


def test_a_thousand_members_import_in_one_go(signed_in: FlaskClient, mlist: MailingList) -> None:
    lines = [
        f"user{i}@truong{i % 40}.edu.vn;Người số {i};Trường {i % 40};member" for i in range(1000)
    ]
    text = "Email;Họ tên;Đơn vị;Vai trò\r\n" + "\r\n".join(lines) + "\r\n"
    preview = _preview(signed_in, text, as_file=True)
    assert len(re.findall(r"<td>user\d+@", preview)) == 1000
    assert 'class="data errors"' not in preview
    assert _confirm(signed_in, preview) == {"added": 1000, "already": 0, "invited": 0, "failed": 0}
    assert _member_count() == 1000

    first = _get(signed_in, BASE)
    assert len(_emails(first)) == 100
    assert len(_emails(_get(signed_in, f"{BASE}?page=10"))) == 100
    again = _confirm(signed_in, _preview(signed_in, text, as_file=True))
    assert again == {"added": 0, "already": 1000, "invited": 0, "failed": 0}
    assert _member_count() == 1000


def test_csv_errors_are_reported_with_their_line_numbers(
    signed_in: FlaskClient, mlist: MailingList
) -> None:
    text = (
        "email,name,unit,role\n"
        "good@x.vn,Good,,member\n"
        "not-an-address,Bad,,\n"
        "other@x.vn,Other,,chief\n"
        "GOOD@x.vn,Twice,,\n"
        "\n"
        "a b@x.vn,,,\n"
    )
    preview = _preview(signed_in, text)
    errors = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", preview.split("Rows to import")[0])
    assert errors == [
        ("3", "not-an-address"),
        ("4", "chief"),
        ("5", "GOOD@x.vn"),
        ("7", "a b@x.vn"),
    ]
    assert _confirm(signed_in, preview) == {"added": 1, "already": 0, "invited": 0, "failed": 4}


def test_export_escapes_formulas_and_round_trips(
    signed_in: FlaskClient, mlist: MailingList
) -> None:
    s = db.session()
    people = [
        ("a@x.vn", '=HYPERLINK("http://evil.example","x")', "+84 24 123", "owner", True),
        ("-dash@x.vn", "@SUM(A1:A2)", "-Phòng", "moderator", False),
        ("c@đại-học.vn", "Nguyễn Văn C, Hiệu trưởng", "THPT; Hà Nội", "member", True),
    ]
    for email, name, unit, role, focal in people:
        member, _ = add_member(s, mlist, email, name, role)
        member.unit, member.is_focal_point = unit, focal
    db.session.commit()

    response = signed_in.get(f"{BASE}export.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="members-thpt.csv"'
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffemail,name,unit,role,delivery_mode,bounce_score,joined_at")
    cells = [cell for row in csv.reader(io.StringIO(body[1:])) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells

    parsed = parse_member_csv(body)
    assert parsed.errors == ()
    assert {(r.email, r.name, r.unit, r.role, r.focal) for r in parsed.rows} == set(people)
    again = _confirm(signed_in, _preview(signed_in, body[1:]))
    assert again == {"added": 0, "already": 3, "invited": 0, "failed": 0}


def test_welcome_and_invite_modes_queue_mail(signed_in: FlaskClient, mlist: MailingList) -> None:
    welcomed = _confirm(signed_in, _preview(signed_in, "w1@x.vn\nw2@x.vn\n"), "welcome")
    assert welcomed["added"] == 2
    recipients = set(db.session.scalars(select(Delivery.recipient)))
    assert recipients == {"w1@x.vn", "w2@x.vn"}

    invited = _confirm(signed_in, _preview(signed_in, "i1@x.vn,Ích\nw1@x.vn\n"), "invite")
    assert (invited["invited"], invited["already"], invited["added"]) == (1, 1, 0)
    assert find_member(db.session(), mlist, "i1@x.vn") is None
    pending = db.session.scalars(select(PendingRequest.email)).all()
    assert pending == ["i1@x.vn"]
    assert set(db.session.scalars(select(Delivery.recipient))) == recipients | {"i1@x.vn"}
