"""Replies as real mail clients write them, sent over SMTP: the page folds what is quoted,
signed or appended by the list, and search and snippets know only the author's words."""

from __future__ import annotations

import json
from pathlib import Path

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from markupsafe import escape
from sqlalchemy import select

from archive.models import MailingList, Message
from forum.extensions import db
from forum.search.indexing import index_pending
from forum.settings import Settings
from forum.views import search_views
from tests.integration.mail.conftest import MEMBERS, send, work
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_by_link

REPLIES = Path(__file__).resolve().parents[2] / "fixtures" / "replies"
EXPECTED: dict[str, dict[str, str]] = json.loads((REPLIES / "expected.json").read_text("utf-8"))


def _searchable(app: Flask) -> None:
    if "search" not in app.blueprints:
        app.register_blueprint(search_views.bp)


def test_client_replies_show_their_own_words_and_fold_the_rest(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    runner: FlaskCliRunner,
) -> None:
    _searchable(app)
    assert runner.invoke(args=["policy", "thpt", "posting", "open"]).exit_code == 0
    # office disclaimers say "confidential": telling them from a real mark is another rule's job
    assert runner.invoke(args=["policy", "thpt", "hold_confidential", "no"]).exit_code == 0
    for name in EXPECTED:
        raw = (
            (REPLIES / name).read_bytes().replace(b"To: thpt@moet.example", b"To: thpt@example.org")
        )
        send(settings, MEMBERS[0], ["thpt@example.org"], raw)
    work(app, settings)
    index_pending(db.session, settings)
    client = app.test_client()
    stored = {m.message_id: m for m in db.session.scalars(select(Message))}
    assert len(stored) == len(EXPECTED)
    for name, expected in EXPECTED.items():
        message = stored[f"{name.removesuffix('.eml')}@fixtures.example"]
        page = client.get(f"/lists/thpt/message/{message.message_id_hash}/").get_data(as_text=True)
        first_line = expected["own"].split("\n")[0]
        assert str(escape(first_line)) in page, name
        for kind in set(expected["kinds"]) - {"text", "attribution"}:
            assert f'<details class="{kind}">' in page, (name, kind)
    # a phrase of the quoted originals and of the list footer find none of the replies
    for quoted in ("before Friday", "truoc thu Sau", "unsubscribe", "trách nhiệm bảo mật"):
        assert "/lists/thpt/message/" not in client.get(f"/search?q={quoted}").text, quoted
    found = client.get("/search?q=312 students").get_data(as_text=True)
    assert "<mark>312</mark> <mark>students</mark>" in found
    assert "Enrolment figures" in found
    assert "template is attached" not in found


def test_a_web_posts_snippet_shows_its_rendered_text_not_its_markdown(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    _searchable(app)
    sign_in_by_link(app, settings, sink, client, MEMBERS[1])
    path = "/lists/thpt/post"
    markdown = (
        "Kế hoạch **kiểm tra học kỳ** như sau:\n\n| Lớp | Ngày |\n|---|---|\n| 10 | 12/12 |\n\n"
        "Xem [lịch chi tiết](https://so.example/lich) và `mã môn`.\n\n&lt;script&gt;x"
    )
    sent = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "subject": "Kiểm tra học kỳ",
            "text": markdown,
            "action": "send",
        },
    )
    assert sent.status_code == 302
    index_pending(db.session, settings)
    page = client.get("/search?q=kiem tra hoc ky").get_data(as_text=True)
    snippet = page[page.index('class="snippet"') :][:2000]
    assert "<mark>kiểm</mark> <mark>tra</mark> <mark>học</mark> <mark>kỳ</mark>" in snippet
    for markup in ("**", "|---|", "](https", "`"):
        assert markup not in snippet, markup
